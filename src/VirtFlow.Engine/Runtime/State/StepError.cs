using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Runtime.State;

/// <summary>Why a step faulted: the message, a machine-readable code, and the innermost step id that faulted.</summary>
internal sealed record StepError(string Message, string? Code, string Step)
{
    /// <summary>The form expressions see (<c>error</c> in a catch, <c>steps.X.error</c>).</summary>
    public JsonObject ToJson() => new()
    {
        ["message"] = Message,
        ["code"] = Code,
        ["step"] = Step,
    };

    /// <summary>The instance's fault text: <c>step 'pivot': message</c>.</summary>
    public string Describe() => $"step '{Step}': {Message}";
}
