namespace VirtFlow.Activities.Vm.Messaging;

/// <summary>
/// The engine event keys of host events: what a VM activity's bookmarks wait for.
/// <list type="bullet">
/// <item><c>reply:{commandId}</c>: the <c>CommandResult</c> of a command.</item>
/// <item><c>job:{hostId}:{vm}:{jobId}</c>: a <c>JobStatusChanged</c>.</item>
/// <item><c>progress:{hostId}:{vm}:{jobId}</c>: a <c>JobProgress</c>.</item>
/// <item><c>vm:{hostId}:{vm}</c>: a <c>VmGone</c>.</item>
/// <item><c>lease:{hostId}:{vm}:{leaseId}</c>: a <c>QuiesceLeaseExpired</c> (the worker released the guest on its own).</item>
/// <item><c>snapshot:{hostId}:{vm}</c>: a <c>VmJobsSnapshot</c>; <c>worker:{hostId}</c>: <c>WorkerOnline</c>/<c>WorkerOffline</c> (nothing waits for these yet).</item>
/// </list>
/// </summary>
public static class EventKeys
{
    public static string Reply(string commandId) => $"reply:{commandId}";

    public static string Job(string hostId, string vm, string jobId) => $"job:{hostId}:{vm}:{jobId}";

    public static string Progress(string hostId, string vm, string jobId) => $"progress:{hostId}:{vm}:{jobId}";

    public static string VmGone(string hostId, string vm) => $"vm:{hostId}:{vm}";

    public static string LeaseExpired(string hostId, string vm, string leaseId) => $"lease:{hostId}:{vm}:{leaseId}";

    public static string Snapshot(string hostId, string vm) => $"snapshot:{hostId}:{vm}";

    public static string Worker(string hostId) => $"worker:{hostId}";
}
