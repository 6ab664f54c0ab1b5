using Microsoft.Extensions.Hosting;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Runs the <see cref="HostWorker"/> in a generic host: starts it once every hosted service (the bus among them) has
/// started, so its first events are not published into a bus that is not running yet; disposes it on stop, which
/// releases every quiesce lease.
/// </summary>
public sealed class HostWorkerService(HostWorker worker) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => worker.StartAsync(cancellationToken);

    public async Task StoppingAsync(CancellationToken cancellationToken) => await worker.DisposeAsync().ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
