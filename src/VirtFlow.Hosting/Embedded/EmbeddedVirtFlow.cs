using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.HostWorker;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Embedded;

/// <summary>
/// VirtFlow in one process (<c>virtflow run</c>, <c>virtflow resume</c>): the store (a SQLite file by default), the
/// engine with the built-in and VM activities and its background loop (timers, sweeps, crash recovery), a MassTransit
/// bus (in-memory by default) carrying commands from the outbox to the worker's queue and events back, and the host
/// worker <c>local</c> serving the given VMs. The same code paths as a server and its workers, in one process.
/// Stopping stops the engine's loop, then the worker (which releases every quiesce lease: no guest is left frozen),
/// then the bus.
/// </summary>
public sealed class EmbeddedVirtFlow : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IWorkflowStore? _ownedStore;
    private readonly TimeSpan _stopTimeout;
    private readonly ILogger _logger;
    private int _stopped;

    private EmbeddedVirtFlow(IHost host, IWorkflowStore store, IWorkflowStore? ownedStore, string storeSpec, TimeSpan stopTimeout)
    {
        _host = host;
        _ownedStore = ownedStore;
        _stopTimeout = stopTimeout;
        Store = store;
        StoreSpec = storeSpec;
        _logger = Services.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedVirtFlow>();
    }

    /// <summary>The services of the process (engine, worker, bus, store).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The engine.</summary>
    public WorkflowEngine Engine => Services.GetRequiredService<WorkflowEngine>();

    /// <summary>The store the engine works on.</summary>
    public IWorkflowStore Store { get; }

    /// <summary>The store's spec as given (or the default); for messages only (it may hold a password).</summary>
    public string StoreSpec { get; }

    /// <summary>Definitions by name and hash.</summary>
    public WorkflowDefinitionRegistry Definitions => Services.GetRequiredService<WorkflowDefinitionRegistry>();

    /// <summary>The activities workflows may use (also the validator's catalog).</summary>
    public ActivityRegistry Activities => Services.GetRequiredService<ActivityRegistry>();

    /// <summary>The in-process worker.</summary>
    public VirtFlow.HostWorker.HostWorker Worker => Services.GetRequiredService<VirtFlow.HostWorker.HostWorker>();

    /// <summary>The bus.</summary>
    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <summary>Opens the store (creating its schema), starts the bus, the worker and the engine's background loop.</summary>
    /// <exception cref="ArgumentException">A bad store spec, VM or option.</exception>
    public static async Task<EmbeddedVirtFlow> StartAsync(EmbeddedVirtFlowOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        void ConfigureWorker(HostWorkerOptions worker)
        {
            worker.HostId = options.HostId;
            foreach (var vm in options.Vms) worker.Vms.Add(vm.ToHostVm());
            foreach (var root in options.StorageRoots) worker.StorageRoots.Add(Path.GetFullPath(root));
            // Leases on disk, as a worker keeps them: a `virtflow run` killed while it holds a pause or freeze leaves its lease
            // file, and the next run or resume on the same storage root resumes or thaws the guest when the lease ends
            // (docs/rules.md#r5-quiesce-lease). Without it the lease lived in memory and died with the process.
            worker.StateDirectory = Hosting.Worker.VirtFlowWorkerOptions.DefaultStateDirectory(options.HostId, worker.StorageRoots);
            options.Worker?.Invoke(worker);
        }
        var check = new HostWorkerOptions();
        ConfigureWorker(check);
        check.Validate();
        options.Engine.Validate();

        var spec = options.StoreSpec ?? (options.Store is null ? StoreLocations.DefaultStoreSpec() : "(given)");
        IWorkflowStore? owned = null;
        var store = options.Store ?? (owned = await StoreFactory.OpenAsync(spec, ct: ct).ConfigureAwait(false));
        IHost? host = null;
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.Configure<HostOptions>(o =>
            {
                o.ShutdownTimeout = options.StopTimeout;
                o.ServicesStartConcurrently = false;
                o.ServicesStopConcurrently = false;
            });
            options.Logging?.Invoke(builder.Logging);
            // Hosted services: the bus, the worker (started once all are, released first on stop), the engine's loop.
            builder.Services.AddVirtFlowBus(options.Transport, bus =>
            {
                bus.AddEngine();
                bus.AddHostWorker(ConfigureWorker);
                options.Bus?.Invoke(bus);
            });
            builder.Services.AddVirtFlowEngine(e =>
            {
                e.Store = store;
                e.Engine = options.Engine;
                e.Activities = options.Activities;
                foreach (var definition in options.Definitions) e.Definitions.Add(definition);
            });
            host = builder.Build();
            await host.StartAsync(ct).ConfigureAwait(false);
            var embedded = new EmbeddedVirtFlow(host, store, owned, spec, options.StopTimeout);
            Log.EmbeddedStarted(embedded._logger, spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec : spec.Split(':')[0], options.HostId, options.Vms.Count, options.Transport.ToString() ?? "");
            return embedded;
        }
        catch
        {
            if (host is not null)
            {
                await HostLifetime.AbandonStartAsync(host, options.StopTimeout, ct).ConfigureAwait(false);
            }
            if (owned is not null) await owned.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops, in this order: host events reaching the engine (<see cref="HostEventGate"/>: the worker's "stopping" answers
    /// must not fault steps), the engine's background loop (nothing new is sent), the worker (every quiesce lease
    /// released: thaw, resume), the bus. Idempotent.
    /// </summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_stopTimeout);
        Services.GetRequiredService<HostEventGate>().Close();
        await HostLifetime.StopEngineThenHostAsync(_host, limit.Token).ConfigureAwait(false);
        Log.EmbeddedStopped(_logger);
    }

    /// <summary>Stops (if not yet), then releases the services and the store it opened.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await HostLifetime.DisposeAsync(_host).ConfigureAwait(false);
            if (_ownedStore is not null) await _ownedStore.DisposeAsync().ConfigureAwait(false);
        }
    }
}
