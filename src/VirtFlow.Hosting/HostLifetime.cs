using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Hosting;

/// <summary>
/// The generic-host chores every VirtFlow process shares (embedded, server, worker, start client): stopping the engine's
/// loop before the rest, undoing a start that failed, disposing.
/// </summary>
internal static class HostLifetime
{
    /// <summary>Stops the engine's background loop first (nothing new is sent), then everything else (bus, worker).</summary>
    public static async Task StopEngineThenHostAsync(IHost host, CancellationToken ct)
    {
        foreach (var loop in host.Services.GetServices<IHostedService>().OfType<EngineBackgroundService>())
            await loop.StopAsync(ct).ConfigureAwait(false);
        await host.StopAsync(ct).ConfigureAwait(false);
    }

    /// <summary>After a failed start: stops what did start (within <paramref name="stopTimeout"/>), then disposes the host.</summary>
    public static async Task AbandonStartAsync(IHost host, TimeSpan stopTimeout, CancellationToken ct)
    {
        using var stop = new CancellationTokenSource(stopTimeout);
        try { await host.StopAsync(stop.Token).ConfigureAwait(false); }
        catch (Exception) when (!ct.IsCancellationRequested) { /* the start failed: report that */ }
        await DisposeAsync(host).ConfigureAwait(false);
    }

    /// <summary>Disposes the host, asynchronously when it can.</summary>
    public static async ValueTask DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable async) await async.DisposeAsync().ConfigureAwait(false);
        else host.Dispose();
    }
}
