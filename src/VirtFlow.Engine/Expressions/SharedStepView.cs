using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Expressions;

/// <summary>
/// What an expression sees of one step (<c>steps.ID</c>: <c>{ status, outputs, error, attempt, startedAt, completedAt }</c>)
/// as of one moment. The runtime makes one per change of the step and shares it between every scope that sees the step
/// as it is; it never changes. Its JSON is built only when an expression reads <c>steps</c>.
/// </summary>
internal abstract class SharedStepView
{
    private JsonObject? _json;

    /// <summary>
    /// The view as one JSON object, built on first use and shared after (from any thread): its readers only read it.
    /// A caller that may change it takes <see cref="ToJson"/> instead.
    /// </summary>
    public JsonObject Json
    {
        get
        {
            if (Volatile.Read(ref _json) is { } json) return json;
            json = ToJson();
            return Interlocked.CompareExchange(ref _json, json, null) ?? json;
        }
    }

    /// <summary>A new JSON object of the view, fully built (no node is parsed on first read), the caller's own.</summary>
    public abstract JsonObject ToJson();
}
