using Microsoft.AspNetCore.Http;
using VirtFlow.Hosting.Http.Instances;
using VirtFlow.Hosting.Preflight;

namespace VirtFlow.Hosting.Http.Preflight;

/// <summary>
/// The dry run of <c>POST /api/instances?dryRun=true</c>: the same plan as <c>POST /api/preflight</c>
/// (<see cref="VmPreflight"/>, 200 whether or not the run could go), for the definition and version the start would run.
/// Starts and stores nothing.
/// </summary>
public sealed class PlanningPreflight(VmPreflight preflight) : IPreflight
{
    public async Task<IResult> DryRunAsync(Instances.PreflightRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TypedResults.Ok(await preflight.PlanAsync(request.Definition, request.Inputs, ct: ct).ConfigureAwait(false));
    }
}
