using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Activities;

/// <summary>What an activity is called, what it takes and gives: used by the validator, the JSON Schema and the designer.</summary>
public sealed record ActivityDescriptor
{
    /// <summary>The <c>type:</c> name in a workflow file, e.g. <c>log</c> or <c>vm.mirror</c>.</summary>
    public required string Type { get; init; }

    public required string Description { get; init; }

    /// <summary>A grouping for the designer's palette: <c>core</c>, <c>vm</c>, <c>http</c>...</summary>
    public string Category { get; init; } = "core";

    /// <summary>The inputs: hand-written, or generated from <see cref="InputRecord"/>.</summary>
    public IReadOnlyList<ActivityInput> Inputs { get; init; } = [];

    /// <summary>
    /// The activity's input record (<see cref="InputRecords.InputBinder{T}"/>): setting it sets <see cref="Inputs"/> to the
    /// inputs it declares, so they are written once, on the record, and the activity binds its inputs to it.
    /// </summary>
    public Type? InputRecord
    {
        get;
        init
        {
            field = value;
            Inputs = value is null ? [] : InputRecords.InputBinder.InputsOf(value);
        }
    }
    public IReadOnlyList<ActivityOutput> Outputs { get; init; } = [];

    /// <summary>True when inputs not declared in <see cref="Inputs"/> are allowed (e.g. raw QMP arguments).</summary>
    public bool AllowsExtraInputs { get; init; }

    /// <summary>
    /// True when the activity's calls (execute, resume, abandon) only read their context and return an outcome: every effect
    /// (a command to a host, a bookmark, a journal line) goes through the context and is committed with the outcome. The
    /// engine then need not checkpoint before such a call: should it die before the next commit, nothing happened outside,
    /// and the stimulus that led to the call is still in the inbox (or the timer still due), so it is delivered again. A step
    /// transition between such activities costs one commit instead of three. False (the default) for anything that talks to
    /// the outside world itself (http, scripts with effects).
    /// </summary>
    public bool Pure { get; init; }
}

/// <summary>
/// One input of an activity. <see cref="Type"/> is a JSON type name (<c>string</c>, <c>number</c>,
/// <c>integer</c>, <c>boolean</c>, <c>array</c>, <c>object</c>), <c>duration</c> or <c>any</c>.
/// </summary>
public sealed record ActivityInput(
    string Name,
    string Type,
    string Description,
    bool Required = false,
    JsonNode? Default = null,
    IReadOnlyList<string>? Enum = null,
    JsonObject? ItemSchema = null);

/// <summary>One output of an activity, addressed as <c>steps.ID.outputs.NAME</c>.</summary>
public sealed record ActivityOutput(string Name, string Type, string Description);
