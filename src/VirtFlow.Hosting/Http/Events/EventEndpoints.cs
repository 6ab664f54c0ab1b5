using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Activities.BuiltIn;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Events;

/// <summary>
/// <c>POST /api/events</c> (operator): an event for the instances waiting in a <c>waitEvent</c> step, keyed as
/// <c>virtflow event --name N --correlation C</c> keys it (<c>event:N:C</c>), stored in the inbox (the same id twice is
/// one event) and delivered at once to every instance waiting for its key; one nobody waits for yet is kept (one hour)
/// and matched when the wait begins.
/// </summary>
public static class EventEndpoints
{
    private const int MaxNameLength = 256;

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/events", PublishAsync).RequireAuthorization(ApiRoles.Operator).WithTags("Events").WithName("PublishEvent")
            .WithSummary("Wakes the instances waiting for this event (202; a repeated id is accepted once)")
            .Produces<PublishEventResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        return api;
    }

    private static async Task<IResult> PublishAsync(PublishEventRequest request, WorkflowEngine engine, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.Name)) errors["name"] = ["the event's name is missing"];
        else if (request.Name.Length > MaxNameLength) errors["name"] = [$"the event's name is longer than {MaxNameLength} characters"];
        if (request.Correlation is { Length: 0 or > MaxNameLength }) errors["correlation"] = [$"the correlation must be 1 to {MaxNameLength} characters (or left out)"];
        if (request.Id is { Length: 0 or > MaxNameLength }) errors["id"] = [$"the event's id must be 1 to {MaxNameLength} characters (or left out)"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));

        var key = WaitEventActivity.KeyFor(request.Name!, request.Correlation);
        var id = request.Id ?? Guid.NewGuid().ToString("N");
        var waiting = (await engine.Store.FindBookmarksByKeyAsync(key, ct).ConfigureAwait(false))
            .Select(b => b.InstanceId).Distinct(StringComparer.Ordinal).Count();
        var added = await engine.PublishEventAsync(new EventEnvelope(id, key, request.Data?.DeepClone()), ct).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new PublishEventResponse(TerminalText.Bound(id, MaxNameLength), key, !added, added ? waiting : 0));
    }
}

/// <summary>The body of <c>POST /api/events</c>.</summary>
/// <param name="Name">The event's name, as the <c>waitEvent</c> step names it.</param>
/// <param name="Correlation">The wait's correlation (e.g. a VM or an order id); left out: the waits without one.</param>
/// <param name="Data">The payload, given to the resumed step.</param>
/// <param name="Id">The event's id (the same id twice is one event); default a fresh one.</param>
public sealed record PublishEventRequest(string? Name, string? Correlation, JsonNode? Data, string? Id);

/// <summary>What became of the event: its id and key, whether it was a repeat (then nothing happened), and how many instances were waiting for it.</summary>
public sealed record PublishEventResponse(string Id, string Key, bool Duplicate, int Waiting);
