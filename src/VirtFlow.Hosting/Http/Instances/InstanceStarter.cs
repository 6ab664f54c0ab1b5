using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// Starts an instance for <c>POST /api/instances</c> through the same <see cref="WorkflowEngine.StartAsync"/> as the bus
/// start (input checks, VIRTFLOW_MAX_INPUT_BYTES). With an idempotency key the store first claims the key for a new
/// instance id (atomic: one claim wins across servers); a repeat gets the id the key holds and starts it again with that
/// id, which starts nothing when the instance exists (so a server that died between the claim and the start is covered
/// too). A start that is refused releases its key, so the caller may correct the request and send it again.
/// </summary>
internal sealed class InstanceStarter(WorkflowEngine engine, TimeProvider clock, VirtFlowHttpOptions options)
{
    public async Task<StartOutcome> StartAsync(
        WorkflowDefinition definition, StartInstanceRequest request, string caller, string? idempotencyKey, CancellationToken ct)
    {
        var inputs = (JsonObject?)request.Inputs?.DeepClone() ?? new JsonObject();
        if (idempotencyKey is null)
        {
            var fresh = Guid.NewGuid().ToString("N");
            return await RunAsync(definition, inputs, request.CorrelationId, fresh, ct).ConfigureAwait(false) is { } refused
                ? StartOutcome.Refused(refused)
                : StartOutcome.Started(fresh);
        }

        var keys = engine.Store as IIdempotencyStore
            ?? throw new InvalidOperationException($"the store {engine.Store.GetType().Name} keeps no idempotency keys");
        var hash = IdempotencyKeys.RequestHash(request);
        var claim = await keys.ClaimIdempotencyKeyAsync(new IdempotencyRecord
        {
            Caller = caller,
            Key = idempotencyKey,
            RequestHash = hash,
            InstanceId = Guid.NewGuid().ToString("N"),
            ExpiresAt = clock.GetUtcNow() + options.IdempotencyKeyLifetime,
        }, ct).ConfigureAwait(false);
        var id = claim.Held.InstanceId;
        if (!claim.Claimed && claim.Held.RequestHash != hash) return StartOutcome.KeyReused(id);

        var problem = await RunAsync(definition, inputs, request.CorrelationId, id, ct).ConfigureAwait(false);
        if (problem is null) return claim.Claimed ? StartOutcome.Started(id) : StartOutcome.Repeated(id);
        if (claim.Claimed) await keys.ReleaseIdempotencyKeyAsync(caller, idempotencyKey, id, CancellationToken.None).ConfigureAwait(false);
        return StartOutcome.Refused(problem);
    }

    /// <summary>Starts (or finds) the instance <paramref name="id"/>; the engine's refusal, or null.</summary>
    private async Task<WorkflowEngineException?> RunAsync(WorkflowDefinition definition, JsonObject inputs, string? correlationId, string id, CancellationToken ct)
    {
        try
        {
            await engine.StartAsync(definition, inputs, new StartOptions { InstanceId = id, CorrelationId = correlationId }, ct).ConfigureAwait(false);
            return null;
        }
        catch (WorkflowEngineException e)
        {
            return e;
        }
    }
}

/// <summary>How a start ended.</summary>
internal sealed record StartOutcome(StartOutcomeKind Kind, string? InstanceId, WorkflowEngineException? Problem)
{
    public static StartOutcome Started(string id) => new(StartOutcomeKind.Started, id, null);
    public static StartOutcome Repeated(string id) => new(StartOutcomeKind.Repeated, id, null);
    public static StartOutcome KeyReused(string heldBy) => new(StartOutcomeKind.KeyReused, heldBy, null);
    public static StartOutcome Refused(WorkflowEngineException problem) => new(StartOutcomeKind.Refused, null, problem);
}

/// <summary>Started: 201. Repeated (same key, same request): 200 with the same id. KeyReused (same key, another request): 422. Refused: 400.</summary>
internal enum StartOutcomeKind
{
    Started,
    Repeated,
    KeyReused,
    Refused,
}
