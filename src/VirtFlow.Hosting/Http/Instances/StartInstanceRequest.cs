using System.Text.Json.Nodes;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>The body of <c>POST /api/instances</c>.</summary>
/// <param name="Workflow">The workflow's name, as the server serves it.</param>
/// <param name="Version">The version to start; default the one the server starts by name (the highest).</param>
/// <param name="Inputs">The inputs, checked against the workflow's declared inputs (and VIRTFLOW_MAX_INPUT_BYTES).</param>
/// <param name="CorrelationId">A business correlation (e.g. a migration request id), visible as <c>instance.correlationId</c>.</param>
public sealed record StartInstanceRequest(string? Workflow, int? Version, JsonObject? Inputs, string? CorrelationId);

/// <summary>The answer of a start: the instance's id (also in the <c>Location</c> header).</summary>
public sealed record StartInstanceResponse(string Id);
