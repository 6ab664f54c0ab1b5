using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>Settings of a <see cref="HostWorker"/>.</summary>
public sealed class HostWorkerOptions
{
    /// <summary>The host this worker serves (commands name it; events carry it).</summary>
    public string HostId { get; set; } = "";

    /// <summary>The VMs it serves.</summary>
    public IList<HostVm> Vms { get; init; } = [];

    /// <summary>
    /// Folders every host path the worker writes or hands to QEMU must lie under (mirror targets, paths in the arguments
    /// of an allowed <see cref="VirtFlow.Contracts.RawQmp"/>); empty allows any path (embedded mode only: <c>virtflow worker</c>
    /// requires one).
    /// </summary>
    public IList<string> StorageRoots { get; init; } = [];

    /// <summary>
    /// QMP commands <see cref="VirtFlow.Contracts.RawQmp"/> (<c>vm.qmp</c>) may run beyond the read-only <c>query-*</c>
    /// ones: exact names, or <c>*</c> for every command that does not reach the host. A command that does (migrate*,
    /// human-monitor-command, blockdev-add, screendump, dump-*, ...) runs only when named exactly, and is warned about at
    /// start. Default none.
    /// </summary>
    public IList<string> AllowQmp { get; init; } = [];

    /// <summary>The quiesce lease when a command gives none. Default 60 s.</summary>
    public TimeSpan DefaultLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often <see cref="VirtFlow.Contracts.JobProgress"/> is sent while jobs run. Default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First wait before reconnecting to a VM's monitor; doubles up to <see cref="ReconnectMaxDelay"/>. Default 200 ms.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between reconnect attempts. Default 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a command waits for its VM's monitor to be connected. Default 15 s.</summary>
    public TimeSpan ConnectWaitTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of one QMP command. Default 30 s.</summary>
    public TimeSpan QmpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of a guest-agent freeze or thaw. Default 30 s.</summary>
    public TimeSpan AgentCommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many command results are kept for repeated command ids. Default 4096.</summary>
    public int ResultCacheCapacity { get; set; } = 4096;

    /// <summary>The <c>qemu-img</c> binary. Default <c>qemu-img</c> on PATH.</summary>
    public string QemuImg { get; set; } = "qemu-img";

    /// <summary>An id of this worker process (for <see cref="VirtFlow.Contracts.WorkerOnline"/>). Default a fresh one.</summary>
    public string WorkerId { get; set; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The folder where the worker keeps its quiesce leases (one small file per VM holding one), so that a worker started
    /// after this one died (killed, crashed) undoes what a lease that ran out meanwhile left (resumes a VM it paused, thaws)
    /// and keeps the timers of leases still running. Null (the default): leases live only in this process.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// What a command interrupted because the worker stops becomes: false (the default) a failed result of class
    /// <see cref="VirtFlow.Contracts.HostErrorClasses.WorkerStopping"/>; true a <see cref="HostWorkerStoppingException"/> thrown
    /// by <see cref="HostWorker.HandleAsync"/> and no result, meant for the transport to put the command back in the queue
    /// for the next worker (a standby or the restarted worker runs it, idempotently by its id). Not turned on by any
    /// VirtFlow process yet (see <see cref="Messaging.HostCommandConsumer{TCommand}"/>).
    /// </summary>
    public bool RequeueWhenStopping { get; set; }

    /// <summary>How events are queued and retried on the way to the bus (<see cref="BufferedHostEventSink"/>).</summary>
    public HostEventBufferOptions EventBuffer { get; set; } = new();

    /// <summary>How often the worker reports itself (<see cref="VirtFlow.Contracts.WorkerHeartbeat"/>: version, VMs). Default 30 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock (leases, timings, event times). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal QmpClientOptions QmpClientOptions(Microsoft.Extensions.Logging.ILogger logger) => new()
    {
        DefaultTimeout = QmpTimeout,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Logger = logger,
        TimeProvider = TimeProvider,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostId)) throw new ArgumentException("HostId is required", nameof(HostId));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in Vms)
        {
            if (vm is null || string.IsNullOrWhiteSpace(vm.Name)) throw new ArgumentException("every VM needs a name", nameof(Vms));
            if (!names.Add(vm.Name)) throw new ArgumentException($"VM {vm.Name} is listed twice", nameof(Vms));
            if (!QmpEndpoint.TryParse(vm.QmpSocket, out _, out var error)) throw new ArgumentException($"VM {vm.Name}: QMP socket: {error}", nameof(Vms));
            if (vm.QgaSocket is not null && !QmpEndpoint.TryParse(vm.QgaSocket, out _, out error))
                throw new ArgumentException($"VM {vm.Name}: guest-agent socket: {error}", nameof(Vms));
        }
        foreach (var root in StorageRoots)
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathRooted(root)) throw new ArgumentException($"storage root '{root}' is not an absolute path", nameof(StorageRoots));
        if (StateDirectory is not null && (string.IsNullOrWhiteSpace(StateDirectory) || !Path.IsPathRooted(StateDirectory)))
            throw new ArgumentException($"state directory '{StateDirectory}' is not an absolute path", nameof(StateDirectory));
        foreach (var command in AllowQmp)
            if (command is null || (command != "*" && !IsQmpCommandName(command)))
                throw new ArgumentException($"allowed QMP command '{command}' is not a command name (letters, digits, '-', '_') or '*'", nameof(AllowQmp));
        Positive(DefaultLease, nameof(DefaultLease));
        Positive(ProgressInterval, nameof(ProgressInterval));
        Positive(ReconnectMinDelay, nameof(ReconnectMinDelay));
        Positive(ConnectWaitTimeout, nameof(ConnectWaitTimeout));
        Positive(QmpTimeout, nameof(QmpTimeout));
        Positive(AgentCommandTimeout, nameof(AgentCommandTimeout));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        if (ReconnectMaxDelay < ReconnectMinDelay) throw new ArgumentException("ReconnectMaxDelay is below ReconnectMinDelay", nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ResultCacheCapacity, 1);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(EventBuffer);
        EventBuffer.Validate();
    }

    /// <summary>True for a well-formed QMP command name: letters, digits, '-' and '_'.</summary>
    public static bool IsQmpCommandName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
