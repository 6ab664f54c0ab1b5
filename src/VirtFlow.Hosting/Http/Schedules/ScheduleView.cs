using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage.Schedules;

namespace VirtFlow.Hosting.Http.Schedules;

/// <summary>One schedule as <c>GET /api/schedules</c> shows it: its trigger's settings, pause, next firing, last firing and (for one schedule) its recent firings.</summary>
public sealed record ScheduleView(
    string Id,
    string Workflow,
    string Cron,
    string TimeZone,
    JsonObject Inputs,
    string Overlap,
    string CatchupWindow,
    string? Jitter,
    bool PauseOnFailure,
    bool Paused,
    string? PauseNote,
    DateTimeOffset? NextFiring,
    ScheduleFiring? LastFiring,
    IReadOnlyList<ScheduleFiring>? Firings);

/// <summary>The answer of <c>GET /api/schedules</c>.</summary>
public sealed record ScheduleList(IReadOnlyList<ScheduleView> Items);

/// <summary>The body of pause and resume: a note (who and why), kept with the schedule.</summary>
public sealed record ScheduleNoteRequest(string? Note);

/// <summary>The body of backfill: the time range [from, to) and the overlap policy for these firings (default: the schedule's).</summary>
public sealed record BackfillRequest(DateTimeOffset? From, DateTimeOffset? To, string? Overlap);

/// <summary>What a trigger now or backfill did: one firing record per scheduled time.</summary>
public sealed record FiringsResult(IReadOnlyList<ScheduleFiring> Firings);
