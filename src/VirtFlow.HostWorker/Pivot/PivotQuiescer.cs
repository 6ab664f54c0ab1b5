using System.Text.Json;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// PivotJobs with a quiesce: the guest is held for the switch only. QuiesceVm's own code holds it (same lease, same rules:
/// a VM found paused stays paused, auto falls back to pause, the lease is the backstop if this worker dies mid-way), and
/// the lease's own release ends it, right after the last job concluded (or was cancelled), before any check or answer.
/// </summary>
internal sealed class PivotQuiescer(WorkerContext context, GuestHold guest, LeaseKeeper leases)
{
    /// <summary>The quiesce mode of <paramref name="command"/>, checked; null when it asks for none.</summary>
    public string? ModeOf(VmSession session, PivotJobs command)
    {
        if (command.Quiesce is null) return null;
        var mode = command.Quiesce.Trim().ToLowerInvariant();
        if (mode is not (QuiesceModes.Auto or QuiesceModes.FsFreeze or QuiesceModes.Pause or QuiesceModes.None))
            throw CommandChecks.BadRequest($"VM {session.Name}: PivotJobs quiesce '{command.Quiesce}' is not auto, fsfreeze, pause or none");
        if ((command.Lease ?? context.Options.DefaultLease) <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {session.Name}: the quiesce lease must be positive");
        if (command.AgentTimeout <= TimeSpan.Zero) throw CommandChecks.BadRequest($"VM {session.Name}: the agent timeout must be positive");
        return mode;
    }

    /// <summary>
    /// Holds the guest for the pivot <paramref name="command"/> with <see cref="GuestHold.QuiesceAsync"/> (its lease id derives from the
    /// pivot's command id, so a repeat after a restart finds the same lease). none holds nothing and only reads the run state.
    /// </summary>
    /// <exception cref="HostCommandException">The quiesce failed (the guest is not held then).</exception>
    /// <param name="session">The VM.</param>
    /// <param name="command">The pivot.</param>
    /// <param name="mode">The quiesce mode resolved for it (none, fsfreeze, pause).</param>
    /// <param name="toComplete">The jobs to complete right behind a pause's stop.</param>
    /// <param name="completes">
    /// With a pause of a running VM, <paramref name="toComplete"/>'s job-completes are sent right behind the stop and recorded
    /// here (also when the quiesce then fails: the caller cancels those jobs).
    /// </param>
    /// <param name="ct">Stops the hold while it is being taken.</param>
    public async Task<PivotHold> HoldAsync(VmSession session, PivotJobs command, string mode, IReadOnlyList<string> toComplete,
        PipelinedCompletes completes, CancellationToken ct)
    {
        if (mode == QuiesceModes.None)
        {
            var client = await session.GetClientAsync(ct).ConfigureAwait(false);
            var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
            return new PivotHold(QuiesceModes.None, null, !status.Running, 0, context.Time.GetUtcNow(), context.Time.GetTimestamp());
        }
        var quiesce = new QuiesceVm
        {
            CommandId = command.CommandId + "/quiesce",
            HostId = command.HostId,
            Vm = command.Vm,
            Mode = mode,
            Lease = command.Lease,
            AgentTimeout = command.AgentTimeout,
        };
        var held = await guest.QuiesceAsync(session, quiesce, ct, client =>
        {
            completes.Calls.AddRange(toComplete.Select(id => (id, (Task)client.JobCompleteAsync(id, null, CancellationToken.None))));
        }).ConfigureAwait(false);
        var stamp = context.Time.GetTimestamp();
        ArgumentNullException.ThrowIfNull(held);
        return new PivotHold(held.Method, held.LeaseId, held.WasPaused, held.FrozenFilesystems, context.Time.GetUtcNow(), stamp);
    }

    /// <summary>
    /// Ends <paramref name="hold"/> with the lease's release (<see cref="LeaseKeeper.ReleaseAsync"/>: thaw, or cont of a VM this quiesce
    /// paused); once: a second call returns the first outcome. A failed release leaves the lease to its retries.
    /// </summary>
    /// <param name="session">The VM.</param>
    /// <param name="hold">The hold <see cref="HoldAsync"/> took.</param>
    /// <param name="justRead">The monitor the caller has just read the jobs' conclusion (or cancellation) on, if any.</param>
    public async Task<PivotQuiesce> ReleaseAsync(VmSession session, PivotHold hold, IQmpClient? justRead = null)
    {
        if (hold.Outcome is { } done) return done;
        LeaseKeeper.ReleaseOutcome? outcome = null;
        if (hold.LeaseId is not null)
        {
            using var scope = await session.LockQuiesceAsync(CancellationToken.None).ConfigureAwait(false);
            if (scope.Lease is { } lease && lease.Id == hold.LeaseId)
                outcome = await leases.ReleaseAsync(scope, lease, "the pivot is over", justRead).ConfigureAwait(false);
        }
        var stamp = context.Time.GetTimestamp();
        var error = hold.LeaseId is null ? null
            : outcome is null ? "the lease had already ended (run out, or released by an unquiesce): the worker released the guest before the pivot was over"
            : outcome.Error;
        hold.Outcome = new PivotQuiesce(hold.Method, hold.LeaseId, hold.WasPaused, hold.Frozen, outcome?.Thawed ?? 0, outcome?.Resumed ?? false,
            hold.LeaseId is null || outcome?.Released == true, hold.HeldAt, context.Time.GetUtcNow(), context.Time.GetElapsedTime(hold.HeldStamp, stamp).TotalMilliseconds, error);
        return hold.Outcome;
    }

    /// <summary>"guest released (pause, 12.3 ms)", for messages.</summary>
    public static string Describe(PivotQuiesce quiesce) => quiesce.Released
        ? $"the guest was released ({quiesce.Method}, held {quiesce.QuiescedMs:0.#} ms)"
        : $"releasing the guest ({quiesce.Method}) failed: {quiesce.ReleaseError}; the worker keeps retrying";
}
