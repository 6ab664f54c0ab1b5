using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Schedules;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Schedules;

/// <summary>
/// The firing path: one scheduled time of one schedule becomes at most one instance, whose id derives from both
/// (<see cref="ScheduleInstanceIds"/>). Every decision is recorded as the firing's row (<see cref="IScheduleStore"/>), so a
/// duplicate firing finds it and starts nothing new; a row that says <c>started</c> without its instance (a node died
/// between the two) has its instance started again with the same id. Order of the checks for a cron firing: catch-up
/// window, pause, pause on failure, jitter, overlap.
/// </summary>
public sealed class ScheduleFirer(WorkflowEngine engine, WorkflowCatalog catalog, IScheduleStore store, TimeProvider clock, string nodeId, ILogger logger)
{
    /// <summary>The store's schedule records.</summary>
    public IScheduleStore Store => store;

    /// <summary>Every schedule of every published workflow.</summary>
    public async Task<IReadOnlyList<ScheduleSettings>> PublishedAsync(CancellationToken ct)
    {
        var result = new List<ScheduleSettings>();
        foreach (var workflow in await catalog.Store.ListCatalogAsync(ct).ConfigureAwait(false))
        {
            if (workflow.PublishedVersion == 0) continue;
            try
            {
                if (await catalog.FindPublishedAsync(workflow.Name, null, ct).ConfigureAwait(false) is { } published)
                    result.AddRange(ScheduleSettings.Of(published.Definition));
            }
            catch (WorkflowEngineException e)
            {
                Log.ScheduleSyncFailed(logger, e.Message);
            }
        }

        return result;
    }

    /// <summary>The published schedule <paramref name="scheduleId"/>, or null.</summary>
    public async Task<ScheduleSettings?> FindAsync(string scheduleId, CancellationToken ct)
    {
        var workflow = scheduleId.Split(':')[0];
        var published = await catalog.FindPublishedAsync(workflow, null, ct).ConfigureAwait(false);
        return published is null ? null : ScheduleSettings.Of(published.Definition).FirstOrDefault(s => s.ScheduleId == scheduleId);
    }

    /// <summary>Fires <paramref name="scheduleId"/> for <paramref name="scheduledTime"/>; its firing row, or null when the schedule no longer exists.</summary>
    public async Task<ScheduleFiring?> FireAsync(string scheduleId, DateTimeOffset scheduledTime, FiringRequest request, CancellationToken ct)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(scheduledTime.ToUnixTimeMilliseconds());
        var schedule = await FindAsync(scheduleId, ct).ConfigureAwait(false);
        if (schedule is null) return null;
        if (await store.GetFiringAsync(scheduleId, at, ct).ConfigureAwait(false) is { } existing)
            return await EnsureStartedAsync(schedule, existing, ct).ConfigureAwait(false);

        if (request.IsCron)
        {
            var late = clock.GetUtcNow() - at;
            if (late > schedule.CatchupWindow)
                return await SkipAsync(schedule, at, request, $"missed: {Whole(late)} late, beyond the catch-up window of {Whole(schedule.CatchupWindow)}", ct).ConfigureAwait(false);
            var state = (await store.GetScheduleStatesAsync(ct).ConfigureAwait(false)).FirstOrDefault(s => s.ScheduleId == scheduleId);
            if (state is { Paused: true })
                return await SkipAsync(schedule, at, request, $"paused: {state.Note}", ct).ConfigureAwait(false);
            if (schedule.PauseOnFailure && await FailedSinceAsync(schedule, state, ct).ConfigureAwait(false) is { } failure)
            {
                await PauseAsync(scheduleId, failure, "pauseOnFailure", ct).ConfigureAwait(false);
                return await SkipAsync(schedule, at, request, $"paused: {failure}", ct).ConfigureAwait(false);
            }

            if (schedule.Jitter > TimeSpan.Zero)
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * schedule.Jitter.TotalMilliseconds), clock, ct).ConfigureAwait(false);
        }

        var overlap = request.Overlap ?? schedule.Overlap;
        var active = overlap == "allow" ? [] : await store.GetActiveScheduleInstancesAsync(scheduleId, ct).ConfigureAwait(false);
        if (active.Count > 0)
        {
            switch (overlap)
            {
                case "skip":
                    return await SkipAsync(schedule, at, request, $"overlap skip: instance {active[0]} still runs", ct).ConfigureAwait(false);
                case "bufferOne":
                    var recent = await store.GetFiringsAsync(scheduleId, 20, ct).ConfigureAwait(false);
                    if (recent.FirstOrDefault(f => f.Outcome == ScheduleFiring.Buffered) is { } buffered)
                        return await SkipAsync(schedule, at, request, $"overlap bufferOne: the firing at {buffered.ScheduledTime:O} is already buffered", ct).ConfigureAwait(false);
                    return await RecordAsync(new ScheduleFiring
                    {
                        ScheduleId = scheduleId, ScheduledTime = at, Outcome = ScheduleFiring.Buffered, Source = request.Source,
                        InstanceId = ScheduleInstanceIds.For(scheduleId, at), Detail = $"overlap bufferOne: starts when instance {active[0]} ends",
                    }, ct).ConfigureAwait(false);
                case "cancelOther":
                    foreach (var other in active)
                        await engine.CancelAsync(other, $"cancelled by schedule {scheduleId}: the firing at {at:O} replaces it (overlap cancelOther)", ct).ConfigureAwait(false);
                    break;
            }
        }

        var firing = await RecordAsync(new ScheduleFiring
        {
            ScheduleId = scheduleId, ScheduledTime = at, Outcome = ScheduleFiring.Started, Source = request.Source,
            InstanceId = ScheduleInstanceIds.For(scheduleId, at),
        }, ct).ConfigureAwait(false);
        return await EnsureStartedAsync(schedule, firing, ct).ConfigureAwait(false);
    }

    /// <summary>Starts the oldest buffered firing of a schedule whose instances all ended; pauses a schedule whose last instance faulted (pauseOnFailure).</summary>
    public async Task SweepAsync(ScheduleSettings schedule, CancellationToken ct)
    {
        var state = (await store.GetScheduleStatesAsync(ct).ConfigureAwait(false)).FirstOrDefault(s => s.ScheduleId == schedule.ScheduleId);
        if (schedule.PauseOnFailure && state is not { Paused: true } && await FailedSinceAsync(schedule, state, ct).ConfigureAwait(false) is { } failure)
            await PauseAsync(schedule.ScheduleId, failure, "pauseOnFailure", ct).ConfigureAwait(false);
        var recent = await store.GetFiringsAsync(schedule.ScheduleId, 20, ct).ConfigureAwait(false);
        if (recent.LastOrDefault(f => f.Outcome == ScheduleFiring.Buffered) is not { } buffered) return;
        if ((await store.GetActiveScheduleInstancesAsync(schedule.ScheduleId, ct).ConfigureAwait(false)).Count > 0) return;
        var started = buffered with { Outcome = ScheduleFiring.Started, Detail = "buffered, started when the previous instance ended", RecordedBy = nodeId, RecordedAt = clock.GetUtcNow() };
        await store.UpdateFiringAsync(started, ct).ConfigureAwait(false);
        await EnsureStartedAsync(schedule, started, ct).ConfigureAwait(false);
    }

    /// <summary>Pauses a schedule with a note.</summary>
    public async Task PauseAsync(string scheduleId, string note, string by, CancellationToken ct)
    {
        await store.SetScheduleStateAsync(new ScheduleState { ScheduleId = scheduleId, Paused = true, Note = note, ChangedBy = by, ChangedAt = clock.GetUtcNow() }, ct).ConfigureAwait(false);
        Log.SchedulePaused(logger, scheduleId, note);
    }

    /// <summary>Resumes a schedule: firings from now on run (those missed while paused stay skipped).</summary>
    public Task ResumeAsync(string scheduleId, string? note, string by, CancellationToken ct) =>
        store.SetScheduleStateAsync(new ScheduleState { ScheduleId = scheduleId, Paused = false, Note = note, ChangedBy = by, ChangedAt = clock.GetUtcNow() }, ct);

    /// <summary>The last started instance faulted after the schedule was last resumed: why, or null.</summary>
    private async Task<string?> FailedSinceAsync(ScheduleSettings schedule, ScheduleState? state, CancellationToken ct)
    {
        var last = (await store.GetFiringsAsync(schedule.ScheduleId, 20, ct).ConfigureAwait(false))
            .FirstOrDefault(f => f.Outcome == ScheduleFiring.Started && f.InstanceId is not null);
        if (last is null || (state is not null && last.ScheduledTime < state.ChangedAt)) return null;
        var instance = await engine.Store.GetInstanceAsync(last.InstanceId!, ct).ConfigureAwait(false);
        return instance is { Status: InstanceStatus.Faulted }
            ? $"instance {instance.Id} (scheduled {last.ScheduledTime:O}) faulted: {instance.Fault}"
            : null;
    }

    private async Task<ScheduleFiring> EnsureStartedAsync(ScheduleSettings schedule, ScheduleFiring firing, CancellationToken ct)
    {
        if (firing.Outcome != ScheduleFiring.Started || firing.InstanceId is not { } id) return firing;
        if (await engine.Store.GetInstanceAsync(id, ct).ConfigureAwait(false) is not null) return firing;
        try
        {
            var published = await catalog.FindPublishedAsync(schedule.Workflow, null, ct).ConfigureAwait(false)
                ?? throw new WorkflowEngineException($"workflow '{schedule.Workflow}' is no longer published");
            await engine.StartAsync(published.Definition, (System.Text.Json.Nodes.JsonObject)schedule.Inputs.DeepClone(), new StartOptions { InstanceId = id }, ct).ConfigureAwait(false);
            return firing;
        }
        catch (WorkflowEngineException e)
        {
            var refused = firing with { Outcome = ScheduleFiring.Skipped, Detail = $"start refused: {e.Message}", RecordedBy = nodeId, RecordedAt = clock.GetUtcNow() };
            await store.UpdateFiringAsync(refused, CancellationToken.None).ConfigureAwait(false);
            Log.ScheduleFiringFailed(logger, firing.ScheduleId, firing.ScheduledTime, e.Message);
            return refused;
        }
    }

    private Task<ScheduleFiring> SkipAsync(ScheduleSettings schedule, DateTimeOffset at, FiringRequest request, string why, CancellationToken ct) =>
        RecordAsync(new ScheduleFiring { ScheduleId = schedule.ScheduleId, ScheduledTime = at, Outcome = ScheduleFiring.Skipped, Source = request.Source, Detail = why }, ct);

    private async Task<ScheduleFiring> RecordAsync(ScheduleFiring firing, CancellationToken ct)
    {
        var held = await store.AddFiringAsync(firing with { RecordedBy = nodeId, RecordedAt = clock.GetUtcNow() }, ct).ConfigureAwait(false);
        Log.ScheduleFired(logger, held.ScheduleId, held.ScheduledTime, held.Outcome, held.InstanceId, held.Detail);
        return held;
    }

    private static string Whole(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#}h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#}m" : $"{t.TotalSeconds:0.#}s";
}
