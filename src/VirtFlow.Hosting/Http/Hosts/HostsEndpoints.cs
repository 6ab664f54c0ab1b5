using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Hosts;

/// <summary>
/// <c>GET /api/hosts</c> (viewer): every host a worker reported, with its worker, version, VMs, online and last seen.
/// <c>GET /api/hosts/{id}/vms/{vm}</c> (viewer): that VM's disks and block jobs, asked of its worker now.
/// </summary>
public static class HostsEndpoints
{
    /// <summary>A host whose worker said nothing for this long (three heartbeats) is shown offline.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(90);

    /// <summary>How long a live question to a worker may take.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapHostEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/hosts", ListAsync).RequireAuthorization(ApiRoles.Viewer).WithTags("Hosts").WithName("ListHosts")
            .WithSummary("Every host a worker reported: its worker, version, VMs, whether it is online and when it was last seen");
        api.MapGet("/hosts/{id}/vms/{vm}", GetVmAsync).RequireAuthorization(ApiRoles.Viewer).WithTags("Hosts").WithName("GetHostVm")
            .WithSummary("A VM's disks (device, node, file, virtual size, format) and block jobs, asked of its worker now");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<HostView>>> ListAsync(IWorkflowStore store, TimeProvider time, CancellationToken ct)
    {
        var hosts = store is IHostStore kept ? await kept.ListHostsAsync(ct).ConfigureAwait(false) : [];
        var now = time.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<HostView>>([.. hosts.Select(h => HostView.From(h, now))]);
    }

    private static async Task<Results<Ok<HostVmView>, ProblemHttpResult>> GetVmAsync(string id, string vm, IWorkflowStore store, LiveHosts live,
        TimeProvider time, CancellationToken ct)
    {
        var host = store is IHostStore kept ? await kept.GetHostAsync(id, ct).ConfigureAwait(false) : null;
        if (host is null)
            return TypedResults.Problem($"host {Printable(id)}: no worker has reported it", statusCode: StatusCodes.Status404NotFound, title: "Unknown host");
        var view = HostView.From(host, time.GetUtcNow());
        if (!view.Online)
            return TypedResults.Problem($"host {id}: its worker is offline (last seen {view.LastSeen:u})", statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Host offline", extensions: new Dictionary<string, object?> { ["hostId"] = id, ["lastSeen"] = view.LastSeen });
        if (!host.Vms.Any(v => v.Name == vm))
            return TypedResults.Problem($"host {id} has no VM {Printable(vm)} (it serves {string.Join(", ", host.Vms.Select(v => v.Name))})",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown VM");
        var asked = Guid.NewGuid().ToString("N");
        var inspect = live.AskAsync(new InspectVm { CommandId = $"api-inspect-{asked}", HostId = id, Vm = vm }, AskTimeout, ct);
        var query = live.AskAsync(new QueryVm { CommandId = $"api-query-{asked}", HostId = id, Vm = vm }, AskTimeout, ct);
        var (disks, jobs) = (await inspect.ConfigureAwait(false), await query.ConfigureAwait(false));
        if (disks is null || jobs is null)
            return TypedResults.Problem($"host {id}: its worker did not answer within {AskTimeout.TotalSeconds:0} s", statusCode: StatusCodes.Status504GatewayTimeout,
                title: "Host did not answer", extensions: new Dictionary<string, object?> { ["hostId"] = id });
        foreach (var result in new[] { disks, jobs })
            if (!result.Success)
                return TypedResults.Problem($"host {id}: {result.Error}", statusCode: StatusCodes.Status502BadGateway, title: "Host refused",
                    extensions: new Dictionary<string, object?> { ["hostId"] = id, ["errorClass"] = result.ErrorClass });
        var inspected = HostResultJson.Read<InspectVmResult>(disks)!;
        var queried = HostResultJson.Read<QueryVmResult>(jobs)!;
        return TypedResults.Ok(new HostVmView(id, vm, inspected.QemuVersion, inspected.RunState, inspected.Disks, queried.Jobs, queried.LeaseId));
    }

    /// <summary>Input echoed in a problem: bounded and without control characters.</summary>
    private static string Printable(string text)
    {
        var clean = new string([.. text.Take(100).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 100 ? clean + "..." : clean;
    }
}

/// <summary>A host as its worker last reported it.</summary>
/// <param name="HostId">The host.</param>
/// <param name="WorkerId">The worker process.</param>
/// <param name="Version">The worker's version.</param>
/// <param name="Online">Its worker reported within <see cref="HostsEndpoints.StaleAfter"/> and did not say it stopped.</param>
/// <param name="LastSeen">When it last reported.</param>
/// <param name="Vms">Its VMs, with whether their QMP monitor was connected at that report.</param>
public sealed record HostView(string HostId, string? WorkerId, string? Version, bool Online, DateTimeOffset LastSeen, IReadOnlyList<HostVmRecord> Vms)
{
    internal static HostView From(HostRecord h, DateTimeOffset now) =>
        new(h.HostId, h.WorkerId, h.Version, h.Online && now - h.LastSeen <= HostsEndpoints.StaleAfter, h.LastSeen, h.Vms);
}

/// <summary>A VM as its worker sees it now.</summary>
public sealed record HostVmView(string HostId, string Vm, string QemuVersion, string RunState, IReadOnlyList<InspectedDisk> Disks,
    IReadOnlyList<JobSnapshot> Jobs, string? LeaseId);
