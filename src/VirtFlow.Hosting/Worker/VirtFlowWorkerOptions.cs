using Microsoft.Extensions.Logging;
using VirtFlow.Hosting.Embedded;
using VirtFlow.HostWorker;

namespace VirtFlow.Hosting.Worker;

/// <summary>What a <see cref="VirtFlowWorkerHost"/> serves and where (see <see cref="VirtFlowWorkerSettings"/> for the text form).</summary>
public sealed class VirtFlowWorkerOptions
{
    /// <summary>The host served: commands come from queue <c>virtflow-host-{HostId}</c>.</summary>
    public string HostId { get; set; } = "";

    /// <summary>The RabbitMQ broker.</summary>
    public Uri? RabbitMq { get; set; }

    /// <summary>A PEM file of the CA(s) the broker's TLS certificate must chain to (<c>amqps://</c>; <c>--rabbitmq-ca</c>); null: system roots.</summary>
    public string? RabbitMqCa { get; set; }

    /// <summary>The broker as a transport (<see cref="RabbitMq"/> with <see cref="RabbitMqCa"/>).</summary>
    public Messaging.RabbitMqBusTransport Transport => new(RabbitMq ?? throw new InvalidOperationException("no broker")) { CaFile = RabbitMqCa };

    /// <summary>The VMs served.</summary>
    public IList<VmSpec> Vms { get; } = [];

    /// <summary>Folders every host path the worker writes or hands to QEMU must lie under (mirror targets ...); at least one is required.</summary>
    public IList<string> StorageRoots { get; } = [];

    /// <summary>QMP commands <c>vm.qmp</c> may run beyond <c>query-*</c> (see <see cref="HostWorkerOptions.AllowQmp"/>).</summary>
    public IList<string> AllowQmp { get; } = [];

    /// <summary>The quiesce lease when a command gives none; null for the worker's default (60 s).</summary>
    public TimeSpan? Lease { get; set; }

    /// <summary>
    /// Where the worker keeps its quiesce leases, so that a worker started after this one was killed ends or takes them
    /// over; null for <see cref="DefaultStateDirectory"/>.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>The state folder used: <see cref="StateDirectory"/>, else <see cref="DefaultStateDirectory"/>.</summary>
    public string EffectiveStateDirectory => StateDirectory ?? DefaultStateDirectory(HostId, StorageRoots);

    /// <summary>Logging set-up (the CLI logs to stderr); null for none.</summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    /// <summary>Last say on the worker's options (tests shorten delays).</summary>
    public Action<HostWorkerOptions>? ConfigureWorker { get; set; }

    /// <summary>The shortest and longest <see cref="HeartbeatInterval"/>: a server shows a host offline after 90 s without a report.</summary>
    public static readonly TimeSpan MinHeartbeat = TimeSpan.FromSeconds(1), MaxHeartbeat = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the worker reports itself (<c>--heartbeat</c>, <c>VirtFlow:Worker:HeartbeatInterval</c>); null for the
    /// worker's default (30 s). From 1 s to 30 s.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>How long starting (connecting to the broker) may take. Default 60 s.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostId)) throw new ArgumentException("--host-id is required");
        if (!HostId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"--host-id '{HostId}' may only hold letters, digits, '-', '_' and '.'");
        if (RabbitMq is null) throw new ArgumentException("--rabbitmq is required");
        if (RabbitMqCa is not null && !File.Exists(RabbitMqCa)) throw new ArgumentException($"--rabbitmq-ca '{RabbitMqCa}': no such file");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vm in Vms)
            if (!names.Add(vm.Name)) throw new ArgumentException($"--vm: VM '{vm.Name}' is given twice");
        if (Lease is { } lease && lease <= TimeSpan.Zero) throw new ArgumentException("--lease must be positive");
        if (HeartbeatInterval is { } beat && (beat < MinHeartbeat || beat > MaxHeartbeat))
            throw new ArgumentException("--heartbeat (VirtFlow:Worker:HeartbeatInterval) must be from 1s to 30s");
        if (StorageRoots.Count == 0)
            throw new ArgumentException("--storage-root is required (or VirtFlow:Worker:StorageRoots): the folders mirror targets and every other host path the worker opens must lie under");
        if (StateDirectory is not null && (string.IsNullOrWhiteSpace(StateDirectory) || !Path.IsPathRooted(StateDirectory)))
            throw new ArgumentException($"--state-dir '{StateDirectory}' is not an absolute path");
    }

    /// <summary>
    /// The default state folder of host <paramref name="hostId"/>: <c>.virtflow/worker-{hostId}</c> under the first storage
    /// root (the host's own disk, shared by a standby on the same host), else <c>worker-{hostId}</c> under
    /// <c>$VIRTFLOW_HOME</c> (<see cref="StoreLocations.HomeDirectory"/>).
    /// </summary>
    public static string DefaultStateDirectory(string hostId, IEnumerable<string> storageRoots)
    {
        ArgumentNullException.ThrowIfNull(storageRoots);
        var name = "worker-" + hostId;
        return storageRoots.FirstOrDefault() is { } root ? Path.Combine(root, ".virtflow", name) : Path.Combine(StoreLocations.HomeDirectory(), name);
    }

    /// <summary>Applies these options to the worker's.</summary>
    internal void Apply(HostWorkerOptions worker)
    {
        worker.HostId = HostId;
        foreach (var vm in Vms) worker.Vms.Add(vm.ToHostVm());
        foreach (var root in StorageRoots) worker.StorageRoots.Add(root);
        foreach (var command in AllowQmp) worker.AllowQmp.Add(command);
        if (Lease is { } lease) worker.DefaultLease = lease;
        if (HeartbeatInterval is { } beat) worker.HeartbeatInterval = beat;
        worker.StateDirectory = EffectiveStateDirectory;
        // A command a stopping worker did not finish goes back to the host's queue for the next worker (a standby, or
        // this one restarted) instead of a "worker stopping" answer that would fault the step waiting for it.
        worker.RequeueWhenStopping = true;
        ConfigureWorker?.Invoke(worker);
    }
}
