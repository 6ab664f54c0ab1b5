using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Workflows;

/// <summary>A workflow in <c>GET /api/workflows</c>: its versions, which one is published (started by name), its draft.</summary>
public sealed record WorkflowSummary(string Name, int? PublishedVersion, string ETag, IReadOnlyList<WorkflowVersionInfo> Versions, WorkflowDraftInfo? Draft)
{
    internal static WorkflowSummary From(CatalogWorkflow w) => new(
        w.Name, w.PublishedVersion == 0 ? null : w.PublishedVersion, w.ETag, [.. w.Versions.Select(WorkflowVersionInfo.From)], WorkflowDraftInfo.From(w.Draft));
}

/// <summary>A published version without its YAML; <see cref="Source"/> is the <c>--workflows</c> file it was imported from, or null.</summary>
public sealed record WorkflowVersionInfo(int Version, string DefinitionHash, string PublishedBy, DateTimeOffset PublishedAt, string? Source)
{
    internal static WorkflowVersionInfo From(CatalogVersionInfo v) => new(v.Version, v.DefinitionHash, v.PublishedBy, v.PublishedAt, v.Source);
}

/// <summary>A draft without its YAML; <see cref="BaseVersion"/> was the published version when it was saved (0: none).</summary>
public sealed record WorkflowDraftInfo(string ETag, string SavedBy, DateTimeOffset SavedAt, int BaseVersion)
{
    internal static WorkflowDraftInfo? From(CatalogDraftInfo? d) => d is null ? null : new(d.ETag, d.SavedBy, d.SavedAt, d.BaseVersion);
}

/// <summary>
/// <c>GET /api/workflows/{name}</c> (the draft when there is one, else the published version) and
/// <c>GET /api/workflows/{name}/versions/{v}</c>: the YAML as written, the parsed step graph and inputs (null when the text
/// has errors), every diagnostic, the versions, and the <see cref="ETag"/> a draft save sends back in <c>If-Match</c>.
/// </summary>
public sealed record WorkflowDocument(
    string Name,
    string Kind,
    int? Version,
    int? PublishedVersion,
    string ETag,
    string Yaml,
    string? DefinitionHash,
    string? Description,
    IReadOnlyList<StepNode>? Steps,
    IReadOnlyList<WorkflowInputInfo>? Inputs,
    IReadOnlyList<DiagnosticInfo> Diagnostics,
    IReadOnlyList<WorkflowVersionInfo> Versions,
    WorkflowDraftInfo? Draft);

/// <summary>A declared input of a workflow.</summary>
public sealed record WorkflowInputInfo(string Name, string Type, bool Required, JsonNode? Default, string? Description, IReadOnlyList<string>? Enum, JsonObject? Items,
    int? Line, int? Column)
{
    internal static WorkflowInputInfo From(InputDefinition i) => new(i.Name, i.Type.ToString().ToLowerInvariant(), i.Required, i.Default?.DeepClone(), i.Description,
        i.Enum, i.Items?.DeepClone() as JsonObject, i.Location?.Line, i.Location?.Column);
}

/// <summary>One problem of a text, as <c>virtflow validate</c> prints it (<see cref="Text"/>) and in parts.</summary>
public sealed record DiagnosticInfo(string Severity, string Message, string File, int Line, int Column, bool Limit, string Text)
{
    internal static DiagnosticInfo From(Diagnostic d) => new(d.IsError ? "error" : "warning", d.Message, d.Location.File, d.Location.Line, d.Location.Column, d.IsLimit, d.ToString());

    internal static IReadOnlyList<DiagnosticInfo> From(IEnumerable<Diagnostic> diagnostics) => [.. diagnostics.Select(From)];
}

/// <summary>The answer of <c>PUT /api/workflows/{name}/draft</c>: the draft's new ETag and what its check found (a draft may hold errors).</summary>
public sealed record DraftSavedDocument(string Name, string ETag, string SavedBy, DateTimeOffset SavedAt, int BaseVersion, bool Valid, IReadOnlyList<DiagnosticInfo> Diagnostics);

/// <summary>The answer of <c>POST /api/workflows/{name}/publish</c>: the new version.</summary>
public sealed record PublishedDocument(string Name, int Version, string DefinitionHash, string PublishedBy, DateTimeOffset PublishedAt, string ETag,
    IReadOnlyList<DiagnosticInfo> Diagnostics);

/// <summary>The answer of <c>GET /api/workflows/{name}/diff</c>: a unified diff of the YAML and the steps added, removed and changed.</summary>
public sealed record WorkflowDiffDocument(string Name, string From, string To, string Unified, StepChanges? Steps);

/// <summary>The answer of <c>POST /api/validate</c>: every diagnostic, the same as <c>virtflow validate</c> prints.</summary>
public sealed record ValidationDocument(bool Valid, int Errors, int Warnings, IReadOnlyList<DiagnosticInfo> Diagnostics);

/// <summary>The answer of <c>GET /api/schema</c>: the workflow JSON Schema and the activity catalog.</summary>
public sealed record SchemaDocument(JsonObject Schema, IReadOnlyList<ActivityInfo> Activities);

/// <summary>An activity of the catalog, for a designer's palette and forms.</summary>
public sealed record ActivityInfo(string Type, string Description, string Category, IReadOnlyList<ActivityInputInfo> Inputs, IReadOnlyList<ActivityOutputInfo> Outputs,
    bool AllowsExtraInputs)
{
    internal static ActivityInfo From(ActivityDescriptor a) => new(a.Type, a.Description, a.Category,
        [.. a.Inputs.Select(i => new ActivityInputInfo(i.Name, i.Type, i.Description, i.Required, i.Default?.DeepClone(), i.Enum, i.ItemSchema?.DeepClone() as JsonObject))],
        [.. a.Outputs.Select(o => new ActivityOutputInfo(o.Name, o.Type, o.Description))], a.AllowsExtraInputs);
}

/// <summary>An input of an activity (<c>with:</c>).</summary>
public sealed record ActivityInputInfo(string Name, string Type, string Description, bool Required, JsonNode? Default, IReadOnlyList<string>? Enum, JsonObject? Items);

/// <summary>An output of an activity (<c>steps.ID.outputs.NAME</c>).</summary>
public sealed record ActivityOutputInfo(string Name, string Type, string Description);
