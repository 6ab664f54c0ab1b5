using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// A parsed workflow: one YAML (or JSON) file under <c>workflows/</c>. Immutable; the runtime keeps
/// the exact definition an instance started with (by <see cref="Hash"/>), so editing a file never
/// changes an instance in flight.
/// </summary>
public sealed record WorkflowDefinition
{
    public required string Name { get; init; }
    public int Version { get; init; } = 1;
    public string? Description { get; init; }
    public IReadOnlyList<InputDefinition> Inputs { get; init; } = [];

    /// <summary>Output name → template (a JSON value whose strings may hold <c>${ ... }</c>), evaluated when the workflow completes.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; init; } = new Dictionary<string, JsonNode?>();

    public IReadOnlyList<TriggerDefinition> Triggers { get; init; } = [];

    /// <summary>
    /// <c>lock:</c> a template over the inputs (e.g. <c>vm:${ inputs.host }/${ inputs.vm }</c>) giving the resource this workflow
    /// holds while it runs: a start whose key is held by an instance that has not ended is refused. Null: no lock.
    /// </summary>
    public string? Lock { get; init; }

    /// <summary>Initial variables (<c>variables:</c>): name → JSON value, visible as <c>vars.NAME</c>.</summary>
    public JsonObject Variables { get; init; } = new();

    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    /// <summary>The file it came from, when it came from one.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The canonical JSON form of the definition (what the store keeps).</summary>
    public string CanonicalJson { get; init; } = "";

    /// <summary>SHA-256 of <see cref="CanonicalJson"/>, hex; identifies this exact definition.</summary>
    public string Hash { get; init; } = "";
}

/// <summary>The type of a workflow input.</summary>
public enum InputType
{
    Any,
    String,
    Number,
    Integer,
    Boolean,
    Duration,
    Array,
    Object,
}

/// <summary>A typed input with an optional default and allowed values.</summary>
public sealed record InputDefinition
{
    public required string Name { get; init; }
    public InputType Type { get; init; } = InputType.Any;
    public bool Required { get; init; }
    public JsonNode? Default { get; init; }
    public string? Description { get; init; }

    /// <summary>Allowed values (for strings), or null for any.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>For arrays: the JSON schema-like description of each item (kept as written).</summary>
    public JsonObject? Items { get; init; }

    public SourceLocation? Location { get; init; }
}

/// <summary>How a workflow is started besides by hand: <c>message</c>, <c>schedule</c> (cron) or <c>manual</c>.</summary>
public sealed record TriggerDefinition
{
    public required string Type { get; init; }
    public JsonObject Settings { get; init; } = new();
    public SourceLocation? Location { get; init; }
}
