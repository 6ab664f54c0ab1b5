using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// The dry run of a start (<c>POST /api/instances?dryRun=true</c>): asks the host's worker and answers with a plan,
/// changing nothing. The engine side implements it and registers it in the server's services; without one the dry run
/// answers 501. The workflow is resolved and the body parsed before it is called (unknown workflow: 404; malformed body: 400).
/// </summary>
public interface IPreflight
{
    /// <summary>The HTTP answer of the dry run (200 with the plan, or a problem naming what would fail).</summary>
    Task<IResult> DryRunAsync(PreflightRequest request, CancellationToken ct);
}

/// <summary>What a dry run is asked about: the definition the start would run, with the inputs as given.</summary>
public sealed record PreflightRequest(WorkflowDefinition Definition, JsonObject Inputs, string? CorrelationId, string Caller);
