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

    public IReadOnlyList<ActivityInput> Inputs { get; init; } = [];
    public IReadOnlyList<ActivityOutput> Outputs { get; init; } = [];

    /// <summary>True when inputs not declared in <see cref="Inputs"/> are allowed (e.g. raw QMP arguments).</summary>
    public bool AllowsExtraInputs { get; init; }
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
