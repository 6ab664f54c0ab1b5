using VirtFlow.Engine.Definitions.Parsing;

namespace VirtFlow.Engine.Definitions;

/// <summary>The rule for a workflow's <c>name:</c> (<c>^[A-Za-z0-9][A-Za-z0-9_.-]*$</c>), for names given outside a file (a URL).</summary>
public static class WorkflowNames
{
    /// <summary>The pattern, for messages.</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

    /// <summary>Whether <paramref name="name"/> may name a workflow (at most 200 characters).</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= 200 } && Patterns.WorkflowName().IsMatch(name);
}
