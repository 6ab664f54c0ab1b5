using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.HostWorker;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Embedded;

/// <summary>What <see cref="EmbeddedVirtFlow.StartAsync"/> puts together.</summary>
public sealed class EmbeddedVirtFlowOptions
{
    /// <summary>The host id of the in-process worker.</summary>
    public const string LocalHostId = "local";

    /// <summary>
    /// The store (<c>sqlite:PATH</c>, <c>postgres:CONNSTRING</c>, <c>memory:</c>); null for the default SQLite file
    /// (<see cref="StoreLocations.DefaultStoreSpec"/>). Ignored when <see cref="Store"/> is set.
    /// </summary>
    public string? StoreSpec { get; set; }

    /// <summary>An initialized store to use instead of opening <see cref="StoreSpec"/> (not disposed on stop).</summary>
    public IWorkflowStore? Store { get; set; }

    /// <summary>The in-process worker's host id. Default <c>local</c>.</summary>
    public string HostId { get; set; } = LocalHostId;

    /// <summary>The VMs the in-process worker serves.</summary>
    public IList<VmSpec> Vms { get; } = [];

    /// <summary>Folders mirror targets must lie under; none allows any path.</summary>
    public IList<string> StorageRoots { get; } = [];

    /// <summary>
    /// The engine's settings. Embedded defaults: a 10 s lease (a crashed <c>virtflow run</c> is taken over by
    /// <c>virtflow resume</c> that soon) and recovery checked every 2 s.
    /// </summary>
    public WorkflowEngineOptions Engine { get; set; } = new()
    {
        EngineId = $"embedded:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}",
        LeaseDuration = TimeSpan.FromSeconds(10),
        OrphanRecoveryInterval = TimeSpan.FromSeconds(2),
    };

    /// <summary>The bus. Default MassTransit's in-memory transport.</summary>
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>More on the bus (tests add recording consumers).</summary>
    public Action<VirtFlowBusBuilder>? Bus { get; set; }

    /// <summary>More settings of the worker (timeouts, lease, progress interval).</summary>
    public Action<HostWorkerOptions>? Worker { get; set; }

    /// <summary>Activities beyond the built-in and VM ones.</summary>
    public Action<ActivityRegistry>? Activities { get; set; }

    /// <summary>Definitions known by name from the start (for <c>call</c> steps).</summary>
    public IList<WorkflowDefinition> Definitions { get; } = [];

    /// <summary>Logging providers and filters; none by default (nothing is logged).</summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    /// <summary>How long stopping may take at most (the worker releasing leases, messages in flight). Default 30 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
