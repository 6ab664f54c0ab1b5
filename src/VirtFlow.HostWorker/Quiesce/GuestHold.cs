using System.Security.Cryptography;
using System.Text;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// Takes a quiesce (docs/rules.md#r5-quiesce-lease: it is a lease, ended by <see cref="LeaseKeeper"/>): fsfreeze through the guest agent, or a pause,
/// or auto (fsfreeze when the agent answers, else pause); QuiesceVm and the pivot's quiesce share it.
/// </summary>
internal sealed class GuestHold(WorkerContext context, LeaseKeeper leases)
{
    /// <param name="session">The VM.</param>
    /// <param name="command">The quiesce asked for (mode, lease, timeouts).</param>
    /// <param name="ct">Stops the quiesce while it is being taken.</param>
    /// <param name="afterStop">
    /// Called right after the <c>stop</c> is sent (a pause of a running VM only), before its answer: what it sends is pipelined
    /// behind the stop, and QEMU runs it once the VM is stopped (the pivot's job-completes: no round trip inside the window).
    /// </param>
    public async Task<QuiesceResult?> QuiesceAsync(VmSession session, QuiesceVm command, CancellationToken ct, Action<IQmpClient>? afterStop = null)
    {
        var vm = session.Name;
        var mode = (command.Mode ?? QuiesceModes.Auto).Trim().ToLowerInvariant();
        if (mode is not (QuiesceModes.Auto or QuiesceModes.FsFreeze or QuiesceModes.Pause or QuiesceModes.None))
            throw CommandChecks.BadRequest($"VM {vm}: quiesce mode '{command.Mode}' is not auto, fsfreeze, pause or none");
        var duration = command.Lease ?? context.Options.DefaultLease;
        if (duration <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {vm}: the quiesce lease must be positive");
        if (command.AgentTimeout <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {vm}: the agent timeout must be positive");
        var leaseId = LeaseIdOf(command.CommandId);
        if (mode == QuiesceModes.None)
        {
            // Nothing is held, so nothing conflicts (two workflows on one VM may both ask for none) and nothing is
            // recorded: an unquiesce of this lease id finds no lease and answers "not held", which is the truth.
            var probe = await session.GetClientAsync(ct).ConfigureAwait(false);
            var running = (await probe.QueryStatusAsync(null, ct).ConfigureAwait(false)).Running;
            return new QuiesceResult(leaseId, QuiesceModes.None, 0, !running, context.Time.GetUtcNow() + duration);
        }

        using var scope = await session.LockQuiesceAsync(ct).ConfigureAwait(false);
        await leases.RecoverLeaseAsync(scope, ct).ConfigureAwait(false);
        if (scope.Lease is { } current)
        {
            if (current.Id == leaseId) return ResultOf(current);
            throw new HostCommandException(HostErrorClasses.AlreadyQuiesced,
                $"VM {vm} is already quiesced ({current.Method}) under lease {current.Id} until {current.ExpiresAt:o}");
        }
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
        var wasPaused = !status.Running;
        var method = mode switch
        {
            QuiesceModes.Auto when wasPaused => QuiesceModes.Pause, // stopped vCPUs: no agent can answer, and nothing runs anyway
            QuiesceModes.Auto => await session.Agent.AnswersAsync(command.AgentTimeout, ct).ConfigureAwait(false) ? QuiesceModes.FsFreeze : QuiesceModes.Pause,
            _ => mode,
        };
        // On disk before the guest is touched (when a state directory is set): a worker killed from here on leaves a
        // lease the next one ends. A failing write fails the command with the guest untouched.
        context.LeaseFiles?.Save(vm, new QuiesceLease(leaseId, method, wasPaused, 0) { ExpiresAt = context.Time.GetUtcNow() + duration });
        var frozen = 0;
        QmpEventSubscription? watch = null;
        if (method == QuiesceModes.FsFreeze)
        {
            try
            {
                frozen = await FreezeAsync(session, command.AgentTimeout, wasPaused, ct).ConfigureAwait(false);
            }
            catch (Exception) when (context.LeaseFiles is not null)
            {
                leases.ForgetLeaseQuietly(session, leaseId); // FreezeAsync thawed again
                throw;
            }
        }
        else if (method == QuiesceModes.Pause && !wasPaused)
        {
            // Listening before the stop: its STOP, and anything that changes the run state after it, tell the release whether the
            // VM is still paused by this lease (no query-status before the cont, inside the window).
            watch = client.Subscribe(e => !e.Name.StartsWith("JOB_", StringComparison.Ordinal) && !e.Name.StartsWith("BLOCK_JOB_", StringComparison.Ordinal), capacity: 16);
            try
            {
                var stopping = client.StopAsync(null, CancellationToken.None); // once sent, the lease must be recorded
                afterStop?.Invoke(client);
                await stopping.ConfigureAwait(false);
            }
            catch
            {
                watch.Dispose();
                throw;
            }
        }

        // From here on the guest is held: record the lease whatever happens to the caller.
        var lease = new QuiesceLease(leaseId, method, wasPaused, frozen) { ExpiresAt = context.Time.GetUtcNow() + duration, RunStateWatch = watch, WatchedClient = watch is null ? null : client };
        scope.Hold(lease);
        lease.Timer = context.Time.CreateTimer(_ => leases.OnLeaseTimer(session, lease), null, duration, Timeout.InfiniteTimeSpan);
        // Not saved again here: the file written before the guest was touched holds the same facts (its expiry a few
        // ms earlier, which only makes a successor end it sooner), and an fsync now would sit inside the pause window.
        if (method != QuiesceModes.FsFreeze) await session.Agent.CloseAsync().ConfigureAwait(false);
        Log.Quiesced(context.Logger, vm, method, leaseId, lease.ExpiresAt, frozen, wasPaused);
        return ResultOf(lease);
    }

    /// <summary>Freezes the guest's filesystems; on any failure thaws (the agent may finish a freeze it timed out on) and throws.</summary>
    private async Task<int> FreezeAsync(VmSession session, TimeSpan agentTimeout, bool wasPaused, CancellationToken ct)
    {
        var vm = session.Name;
        if (wasPaused)
            throw new HostCommandException(HostErrorClasses.AgentUnavailable, $"VM {vm} is paused: its guest agent cannot freeze (use pause or auto)");
        var agent = await session.Agent.ConnectAsync(agentTimeout, ct).ConfigureAwait(false);
        try
        {
            await agent.PingAsync(agentTimeout, ct).ConfigureAwait(false);
        }
        catch (QmpException e)
        {
            await session.Agent.CloseAsync().ConfigureAwait(false);
            throw new HostCommandException(HostErrorClasses.AgentUnavailable, $"VM {vm}: the guest agent does not answer guest-ping within {agentTimeout.TotalSeconds:0.###} s: {e.Message}", e);
        }
        try
        {
            return await agent.FsFreezeAsync(context.Options.AgentCommandTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QmpException e)
        {
            var thaw = await leases.ThawAsync(session).ConfigureAwait(false);
            await session.Agent.CloseAsync().ConfigureAwait(false);
            throw new HostCommandException(HostErrorClasses.FreezeFailed,
                $"VM {vm}: guest-fsfreeze-freeze failed: {e.Message}; " + (thaw.Error is null ? $"thawed again ({thaw.Thawed} filesystem(s))" : "and the thaw failed too: " + thaw.Error), e);
        }
    }

    public static QuiesceResult ResultOf(QuiesceLease lease) =>
        new(lease.Id, lease.Method, lease.FrozenFilesystems, lease.WasPaused, lease.ExpiresAt);

    /// <summary>Deterministic per host and command, so a repeat after a restart names the same lease.</summary>
    private string LeaseIdOf(string commandId) =>
        "lease-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(context.HostId + "\n" + commandId)))[..16];
}
