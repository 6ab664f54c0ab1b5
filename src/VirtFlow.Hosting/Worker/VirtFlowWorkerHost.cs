using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Worker;

/// <summary>
/// A host worker as its own process (<c>virtflow worker</c>): the MassTransit bus on RabbitMQ and the
/// <see cref="VirtFlow.HostWorker.HostWorker"/> of one host, consuming <c>virtflow-host-{hostId}</c> as the single active
/// consumer (a second process for the same host waits as a standby and takes over when this one dies) and publishing
/// its events to the engine through an ordered buffer that retries while the broker is away. On start, and again after
/// the broker comes back, it reports every job QEMU has. Quiesce leases are kept in a state folder, so a worker started
/// after one was killed resumes what a lease that ran out meanwhile paused (and keeps the timers of the others). Stopping
/// releases every quiesce lease (thaw, resume) first.
/// </summary>
public sealed class VirtFlowWorkerHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private readonly IHost _host;
    private int _stopped;

    private VirtFlowWorkerHost(IHost host, VirtFlowWorkerOptions options)
    {
        _host = host;
        HostId = options.HostId;
        Transport = options.Transport;
        StateDirectory = options.EffectiveStateDirectory;
        Vms = [.. options.Vms.Select(v => v.Name)];
    }

    /// <summary>The host served.</summary>
    public string HostId { get; }

    /// <summary>The command queue consumed: <c>virtflow-host-{hostId}</c>.</summary>
    public string Queue => HostQueues.CommandQueue(HostId);

    /// <summary>The broker (its ToString has no credentials).</summary>
    public BusTransport Transport { get; }

    /// <summary>The VMs served, by name.</summary>
    public IReadOnlyList<string> Vms { get; }

    /// <summary>Where the worker keeps its quiesce leases (read by the next worker of the host).</summary>
    public string StateDirectory { get; }

    /// <summary>The services (worker, bus).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The worker.</summary>
    public VirtFlow.HostWorker.HostWorker Worker => Services.GetRequiredService<VirtFlow.HostWorker.HostWorker>();

    /// <summary>Connects to the broker, starts consuming the host's queue, then starts the worker (VMs connect in the background).</summary>
    /// <exception cref="ArgumentException">A bad option.</exception>
    public static async Task<VirtFlowWorkerHost> StartAsync(VirtFlowWorkerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var check = new VirtFlow.HostWorker.HostWorkerOptions();
        options.Apply(check);
        check.Validate();
        try
        {
            VirtFlow.HostWorker.HostWorker.PrepareStateDirectory(check);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"--state-dir: {e.Message}", e);
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = StopTimeout;
            o.ServicesStartConcurrently = false;
            o.ServicesStopConcurrently = false;
        });
        options.Logging?.Invoke(builder.Logging);
        builder.Services.AddVirtFlowBus(options.Transport, bus =>
        {
            bus.StartTimeout = options.StartTimeout;
            bus.AddHostWorker(options.Apply);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await HostLifetime.AbandonStartAsync(host, StopTimeout, ct).ConfigureAwait(false);
            throw;
        }
        var started = new VirtFlowWorkerHost(host, options);
        var logger = started.Services.GetRequiredService<ILoggerFactory>().CreateLogger<VirtFlowWorkerHost>();
        Log.WorkerHostStarted(logger, started.HostId, started.Queue, string.Join(", ", started.Vms), started.Transport.ToString(), started.StateDirectory);
        return started;
    }

    /// <summary>Stops the worker (every quiesce lease released), then the bus. Idempotent.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(StopTimeout);
        await _host.StopAsync(limit.Token).ConfigureAwait(false);
    }

    /// <summary>Stops (if not yet) and releases the services.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await HostLifetime.DisposeAsync(_host).ConfigureAwait(false);
        }
    }
}
