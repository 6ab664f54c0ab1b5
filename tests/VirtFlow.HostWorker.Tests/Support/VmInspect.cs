using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker.Tests;

/// <summary>What QEMU has, read through the test's own monitor (never the worker's).</summary>
internal static class VmInspect
{
    public static async Task<IReadOnlyList<string>> NamedNodesAsync(IQmpClient monitor) =>
        [.. (await monitor.QueryNamedBlockNodesAsync()).Select(n => n.NodeName).Where(n => !n.StartsWith('#')).Order(StringComparer.Ordinal)];

    public static Task<string?> NodeOfAsync(IQmpClient monitor, string device) => monitor.FindNodeForDeviceAsync(device);

    public static Task<IReadOnlyList<JobInfo>> JobsAsync(IQmpClient monitor) => monitor.QueryJobsAsync();

    /// <summary>Waits for the worker's JobStatusChanged <paramref name="status"/> of each job.</summary>
    public static async Task WaitForStatusAsync(RecordingSink sink, string status, params string[] jobs)
    {
        foreach (var job in jobs)
            await sink.WaitForAsync<JobStatusChanged>(e => e.JobId == job && e.Status == status);
    }
}
