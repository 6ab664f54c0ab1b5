using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>The VM's run state as a result (<c>query-status</c>).</summary>
internal static class RunState
{
    public static async Task<VmRunStateResult> ResultAsync(IQmpClient client, CancellationToken ct)
    {
        var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
        return new VmRunStateResult(status.Status, status.Running);
    }

    /// <summary>The run state, or null when the monitor cannot be asked.</summary>
    public static async Task<string?> OrNullAsync(VmSession session, CancellationToken ct)
    {
        try
        {
            var client = await session.GetClientAsync(ct).ConfigureAwait(false);
            return (await client.QueryStatusAsync(null, ct).ConfigureAwait(false)).Status;
        }
        catch (Exception e) when (e is QmpException or HostCommandException)
        {
            return null;
        }
    }
}
