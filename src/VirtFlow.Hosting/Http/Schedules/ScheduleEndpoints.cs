using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Schedules;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Schedules;

namespace VirtFlow.Hosting.Http.Schedules;

/// <summary>
/// <c>/api/schedules</c>: every schedule trigger of the published workflows with its next and last firing (viewer); pause
/// with a note, resume, trigger now and backfill a time range with its own overlap policy (operator). A trigger now or a
/// backfill goes through the same firing path as the cron, so its instance ids derive from (schedule, scheduled time) too.
/// </summary>
public static class ScheduleEndpoints
{
    private const int MaxNoteLength = 1000;
    private const int RecentFirings = 20;

    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/schedules").WithTags("Schedules");
        group.MapGet("/", ListAsync).RequireAuthorization(ApiRoles.Viewer).WithName("ListSchedules")
            .WithSummary("Every schedule of the published workflows, with its next and last firing").Produces<ScheduleList>();
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ApiRoles.Viewer).WithName("GetSchedule")
            .WithSummary("One schedule with its recent firings (started, buffered, skipped and why)").Produces<ScheduleView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/pause", PauseAsync).RequireAuthorization(ApiRoles.Operator).WithName("PauseSchedule")
            .WithSummary("Pauses the schedule with a note: its firings are skipped and recorded until it is resumed").Produces<ScheduleView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/resume", ResumeAsync).RequireAuthorization(ApiRoles.Operator).WithName("ResumeSchedule")
            .WithSummary("Resumes the schedule (firings missed while paused stay skipped)").Produces<ScheduleView>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/trigger", TriggerAsync).RequireAuthorization(ApiRoles.Operator).WithName("TriggerSchedule")
            .WithSummary("Fires the schedule now (scheduled time: now), with its overlap policy").Produces<FiringsResult>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/backfill", BackfillAsync).RequireAuthorization(ApiRoles.Operator).WithName("BackfillSchedule")
            .WithSummary("Fires every scheduled time in [from, to) that has no firing yet, with the given overlap policy").Produces<FiringsResult>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ListAsync(IServiceProvider services, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        var states = await scheduler.Firer.Store.GetScheduleStatesAsync(ct).ConfigureAwait(false);
        var items = new List<ScheduleView>();
        foreach (var schedule in await scheduler.Firer.PublishedAsync(ct).ConfigureAwait(false))
            items.Add(await ViewAsync(scheduler, schedule, states, 1, false, ct).ConfigureAwait(false));
        return TypedResults.Ok(new ScheduleList(items));
    }

    private static async Task<IResult> GetAsync(string id, IServiceProvider services, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        if (await scheduler.Firer.FindAsync(id, ct).ConfigureAwait(false) is not { } schedule) return NotFound(id);
        var states = await scheduler.Firer.Store.GetScheduleStatesAsync(ct).ConfigureAwait(false);
        return TypedResults.Ok(await ViewAsync(scheduler, schedule, states, RecentFirings, true, ct).ConfigureAwait(false));
    }

    private static async Task<IResult> PauseAsync(string id, ScheduleNoteRequest? request, HttpContext context, IServiceProvider services, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        if (await scheduler.Firer.FindAsync(id, ct).ConfigureAwait(false) is null) return NotFound(id);
        if (request?.Note is { Length: > MaxNoteLength }) return TooLong();
        var by = context.User.Identity?.Name ?? "anonymous";
        await scheduler.Firer.PauseAsync(id, request?.Note is { Length: > 0 } note ? note : $"paused by {by}", by, ct).ConfigureAwait(false);
        return await GetAsync(id, services, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> ResumeAsync(string id, ScheduleNoteRequest? request, HttpContext context, IServiceProvider services, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        if (await scheduler.Firer.FindAsync(id, ct).ConfigureAwait(false) is null) return NotFound(id);
        if (request?.Note is { Length: > MaxNoteLength }) return TooLong();
        await scheduler.Firer.ResumeAsync(id, request?.Note, context.User.Identity?.Name ?? "anonymous", ct).ConfigureAwait(false);
        return await GetAsync(id, services, ct).ConfigureAwait(false);
    }

    private static async Task<IResult> TriggerAsync(string id, IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        var firing = await scheduler.Firer.FireAsync(id, clock.GetUtcNow(), new FiringRequest("trigger"), ct).ConfigureAwait(false);
        return firing is null ? NotFound(id) : TypedResults.Ok(new FiringsResult([firing]));
    }

    private static async Task<IResult> BackfillAsync(string id, BackfillRequest request, IServiceProvider services, CancellationToken ct)
    {
        var scheduler = Scheduler(services);
        if (await scheduler.Firer.FindAsync(id, ct).ConfigureAwait(false) is not { } schedule) return NotFound(id);
        var errors = new Dictionary<string, string[]>();
        if (request.From is null) errors["from"] = ["the start of the range is missing (ISO 8601, e.g. 2027-03-28T00:00:00Z)"];
        if (request.To is null) errors["to"] = ["the end of the range is missing (ISO 8601, exclusive)"];
        else if (request.From is { } f && request.To <= f) errors["to"] = ["the end of the range must be after its start"];
        if (request.Overlap is { } o && !ScheduleSettings.OverlapPolicies.Contains(o))
            errors["overlap"] = [$"unknown overlap policy '{TerminalText.Bound(o, 40)}' (policies: {string.Join(", ", ScheduleSettings.OverlapPolicies)})"];
        var max = services.GetRequiredService<SchedulerOptions>().MaxBackfillFirings;
        var times = errors.Count == 0 ? ScheduleCalendar.Between(schedule, request.From!.Value, request.To!.Value, max + 1) : [];
        if (times.Count > max) errors["to"] = [$"the range holds more than {max} firings (VirtFlow:Schedules:MaxBackfillFirings): backfill a shorter range"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));

        var request2 = new FiringRequest("backfill", request.Overlap);
        var firings = new List<ScheduleFiring>();
        foreach (var at in times)
        {
            if (await scheduler.Firer.FireAsync(id, at, request2, ct).ConfigureAwait(false) is { } firing) firings.Add(firing);
        }

        return TypedResults.Ok(new FiringsResult(firings));
    }

    private static async Task<ScheduleView> ViewAsync(
        VirtFlowScheduler scheduler, ScheduleSettings s, IReadOnlyList<ScheduleState> states, int firings, bool withFirings, CancellationToken ct)
    {
        var state = states.FirstOrDefault(x => x.ScheduleId == s.ScheduleId);
        var recent = await scheduler.Firer.Store.GetFiringsAsync(s.ScheduleId, firings, ct).ConfigureAwait(false);
        var next = await scheduler.NextFiringAsync(s.ScheduleId, ct).ConfigureAwait(false);
        return new ScheduleView(s.ScheduleId, s.Workflow, s.Cron, s.TimeZone, s.Inputs, s.Overlap, s.CatchupWindow.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            s.Jitter > TimeSpan.Zero ? s.Jitter.ToString("c", System.Globalization.CultureInfo.InvariantCulture) : null, s.PauseOnFailure,
            state?.Paused == true, state?.Note, next, recent.FirstOrDefault(), withFirings ? recent : null);
    }

    private static VirtFlowScheduler Scheduler(IServiceProvider services) => services.GetRequiredService<VirtFlowScheduler>();

    private static IResult NotFound(string id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such schedule",
        detail: $"no published workflow has the schedule '{TerminalText.Bound(id, 200)}' (ids are {{workflow}}:{{id}}, e.g. nightly-backup:schedule1)");

    private static IResult TooLong() => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { ["note"] = [$"the note is longer than {MaxNoteLength} characters"] }, detail: $"note: longer than {MaxNoteLength} characters");
}
