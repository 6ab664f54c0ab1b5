using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// The VM's guest-agent channel, connected on demand (resynchronised by <see cref="QgaClient"/>) and closed when
/// no lease needs it, so the channel (one client at a time) is free otherwise. Before connecting it checks that the
/// socket is served by a QEMU process: an agent running on the host itself (<c>qemu-ga -m unix-listen</c>) is never used,
/// so its filesystems can never be frozen by mistake. Used under <see cref="VmSession.LockQuiesceAsync"/>.
/// </summary>
internal sealed class GuestAgent(HostVm vm, HostWorkerOptions options, ILogger logger) : IAsyncDisposable
{
    private IQgaClient? _client;

    public bool IsConfigured => vm.QgaSocket is not null;

    /// <summary>A connected client, verified to be served by QEMU; throws <see cref="HostCommandException"/>.</summary>
    public async Task<IQgaClient> ConnectAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_client is { IsConnected: true } live) return live;
        await CloseAsync().ConfigureAwait(false);
        if (vm.QgaSocket is null)
            throw new HostCommandException(HostErrorClasses.AgentUnavailable, $"VM {vm.Name} has no guest agent configured");
        var endpoint = QmpEndpoint.Parse(vm.QgaSocket);
        if (!endpoint.IsUnix)
            throw new HostCommandException(HostErrorClasses.AgentNotInGuest,
                $"VM {vm.Name}: guest agent {endpoint} is a TCP address: the worker cannot check that it is the guest's, so it never freezes through it");
        var peer = await PeerProcess.OfAsync(endpoint.Path!, timeout, ct).ConfigureAwait(false);
        if (peer is null)
            throw new HostCommandException(HostErrorClasses.AgentUnavailable, $"VM {vm.Name}: guest agent socket {endpoint.Path} does not answer");
        if (!peer.Value.Executable.StartsWith("qemu-system", StringComparison.Ordinal))
            throw new HostCommandException(HostErrorClasses.AgentNotInGuest,
                $"VM {vm.Name}: guest agent socket {endpoint.Path} is served by {peer.Value.Executable} (pid {peer.Value.Pid}), not by QEMU: " +
                "it may be an agent on the host itself, whose filesystems must never be frozen");
        try
        {
            _client = await QgaClient.ConnectAsync(endpoint, new QgaClientOptions
            {
                ConnectTimeout = timeout,
                DefaultTimeout = options.AgentCommandTimeout,
                Logger = logger,
                TimeProvider = options.TimeProvider,
            }, ct).ConfigureAwait(false);
        }
        catch (QmpException e)
        {
            throw new HostCommandException(HostErrorClasses.AgentUnavailable, $"VM {vm.Name}: guest agent does not answer: {e.Message}", e);
        }
        return _client;
    }

    /// <summary>True when the agent answers <c>guest-ping</c> within <paramref name="timeout"/>.</summary>
    public async Task<bool> AnswersAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (!IsConfigured) return false;
        try
        {
            var client = await ConnectAsync(timeout, ct).ConfigureAwait(false);
            await client.PingAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (HostCommandException e)
        {
            Log.AgentSilent(logger, vm.Name, e.Message);
            await CloseAsync().ConfigureAwait(false);
            return false;
        }
        catch (QmpException e)
        {
            Log.AgentSilent(logger, vm.Name, e.Message);
            await CloseAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Frees the channel.</summary>
    public async Task CloseAsync()
    {
        var client = _client;
        _client = null;
        if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);
}
