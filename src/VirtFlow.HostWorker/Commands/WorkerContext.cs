using Microsoft.Extensions.Logging;

namespace VirtFlow.HostWorker;

/// <summary>What every command handler of one worker shares: its options, clock, log, events, storage and lease files.</summary>
internal sealed class WorkerContext
{
    public WorkerContext(HostWorkerOptions options, ILogger logger, CancellationToken stopping)
    {
        Options = options;
        Logger = logger;
        Stopping = stopping;
        Time = options.TimeProvider;
        Events = new HostEventFactory(options.HostId, Time);
        Roots = new StorageRoots(options.StorageRoots);
        QemuImg = new QemuImgTool(options.QemuImg);
        QmpPolicy = new Policy.QmpPolicy(options.HostId, options.AllowQmp, Roots);
        CreatedTargets = new CreatedTargets(options.StateDirectory, options.HostId);
        if (options.StateDirectory is { } stateDirectory) LeaseFiles = new LeaseFiles(stateDirectory, options.HostId);
    }

    public HostWorkerOptions Options { get; }

    public string HostId => Options.HostId;

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public HostEventFactory Events { get; }

    /// <summary>The folders targets may lie under (<see cref="HostWorkerOptions.StorageRoots"/>).</summary>
    public StorageRoots Roots { get; }

    public QemuImgTool QemuImg { get; }

    public Policy.QmpPolicy QmpPolicy { get; }

    /// <summary>The target files this worker (or an earlier one of the host) created, so only those are ever deleted.</summary>
    public CreatedTargets CreatedTargets { get; }

    /// <summary>The quiesce leases kept on disk, when a state directory is set.</summary>
    public LeaseFiles? LeaseFiles { get; }

    /// <summary>Cancelled when the worker stops.</summary>
    public CancellationToken Stopping { get; }
}
