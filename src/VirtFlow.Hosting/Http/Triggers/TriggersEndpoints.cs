using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Triggers;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Triggers;

namespace VirtFlow.Hosting.Http.Triggers;

/// <summary>
/// <c>GET /api/triggers</c> (viewer): the message triggers this server has bound (workflow, version, message type, queue,
/// error queue, dedupe window) with the counts of accepted, duplicate and rejected messages (every server on the store),
/// and the triggers not bound because another workflow has their message type.
/// </summary>
public static class TriggersEndpoints
{
    public static IEndpointRouteBuilder MapTriggerEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/triggers", ListAsync).RequireAuthorization(ApiRoles.Viewer).WithTags("Triggers").WithName("ListTriggers")
            .WithSummary("The message triggers bound to RabbitMQ (virtflow.msg.{messageType}) with their counts, and conflicting ones");
        return api;
    }

    private static async Task<Ok<TriggerList>> ListAsync(IServiceProvider services, IWorkflowStore store, CancellationToken ct)
    {
        var bindings = services.GetService<MessageTriggerBindings>();
        var counts = store is IMessageDedupeStore kept
            ? (await kept.ListMessageCountsAsync(ct).ConfigureAwait(false)).ToDictionary(c => c.MessageType, StringComparer.Ordinal)
            : [];
        var views = (bindings?.Bindings ?? []).Select(b =>
        {
            var c = counts.GetValueOrDefault(b.MessageType);
            return new MessageTriggerView("message", b.Workflow, b.Version, b.MessageType, b.Queue, MessageTriggerNames.ErrorQueue(b.MessageType),
                VirtFlow.Engine.Definitions.Duration.Format(b.Settings.DedupeWindow), c?.Accepted ?? 0, c?.Duplicate ?? 0, c?.Rejected ?? 0);
        }).ToList();
        return TypedResults.Ok(new TriggerList(views, bindings?.Conflicts ?? []));
    }
}

/// <summary>What <c>GET /api/triggers</c> answers.</summary>
public sealed record TriggerList(IReadOnlyList<MessageTriggerView> Triggers, IReadOnlyList<MessageTriggerConflict> Conflicts);

/// <summary>One bound message trigger and its counts.</summary>
public sealed record MessageTriggerView(string Type, string Workflow, int Version, string MessageType, string Queue, string ErrorQueue,
    string DedupeWindow, long Accepted, long Duplicate, long Rejected);
