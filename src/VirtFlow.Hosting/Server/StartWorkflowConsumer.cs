using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Server;

/// <summary>
/// Starts an instance for a <see cref="StartWorkflow"/> (queue <see cref="WorkflowQueues.Start"/>): its id is the message
/// id, so a message seen again (a redelivery, a client sending twice) starts nothing new. The workflow is the one the
/// server's catalog publishes under that name (its latest published version; the name may also be that of a file of the
/// <c>--workflows</c> folder), or the message's own <see cref="StartWorkflow.DefinitionText"/> (an ad hoc definition),
/// validated here too, and only when the server allows them (<see cref="VirtFlowServerOptions.AllowAdhocDefinitions"/>,
/// off by default: refused before it is even parsed, since any client could otherwise run scripts and QMP commands). A
/// message that cannot start anything (unknown name, invalid workflow or inputs) is answered by publishing a
/// <see cref="WorkflowStatusChanged"/> with status <see cref="WorkflowStatuses.Rejected"/> and the reason; a store that
/// fails makes MassTransit retry.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class StartWorkflowConsumer(
    WorkflowEngine engine, ServerWorkflows workflows, WorkflowCatalog catalog, VirtFlowServerOptions options, TimeProvider clock,
    ILogger<StartWorkflowConsumer> logger) : IConsumer<StartWorkflow>
{
    /// <summary>The reason given for an ad hoc definition when the server does not allow them (one line naming the setting).</summary>
    internal const string AdhocRefused =
        "this server does not run workflow definitions sent with the message (ad hoc definitions are off): start a workflow of its "
        + "--workflows folder by name, or start the server with --allow-adhoc-definitions (setting VirtFlow:Server:AllowAdhocDefinitions)";

    public async Task Consume(ConsumeContext<StartWorkflow> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (string.IsNullOrWhiteSpace(message.MessageId))
        {
            await RejectAsync(context, "the StartWorkflow message has no MessageId").ConfigureAwait(false);
            return;
        }
        var (definition, error) = await ResolveAsync(message, context.CancellationToken).ConfigureAwait(false);
        if (definition is null)
        {
            await RejectAsync(context, error!).ConfigureAwait(false);
            return;
        }
        if (Inputs(message.InputsJson) is not { } inputs)
        {
            await RejectAsync(context, "the inputs are not a JSON object").ConfigureAwait(false);
            return;
        }
        try
        {
            Log.StartReceived(logger, message.MessageId, definition.Name, definition.Version);
            await engine.StartAsync(definition, inputs, new StartOptions { InstanceId = message.MessageId, CorrelationId = message.CorrelationId }, context.CancellationToken)
                .ConfigureAwait(false);
        }
        catch (WorkflowEngineException e)
        {
            await RejectAsync(context, $"workflow '{definition.Name}': {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>The definition to run, or why there is none.</summary>
    private async Task<(WorkflowDefinition? Definition, string? Error)> ResolveAsync(StartWorkflow message, CancellationToken ct)
    {
        if (message.DefinitionText is { } text)
        {
            if (!options.AllowAdhocDefinitions) return (null, AdhocRefused);
            var file = string.IsNullOrWhiteSpace(message.DefinitionFile) ? $"{message.Workflow}.yaml" : message.DefinitionFile;
            var check = catalog.Check(text, file);
            var errors = check.Diagnostics.Where(d => d.IsError).ToList();
            if (errors.Count > 0 || check.Definition is null)
            {
                var first = errors.Count > 0 ? errors[0].ToString() : $"{file}: not a workflow";
                return (null, errors.Count > 1 ? $"{first} (and {errors.Count - 1} more errors)" : first);
            }
            return (check.Definition, null);
        }
        var name = message.Workflow ?? "";
        try
        {
            var published = await catalog.FindPublishedAsync(name, null, ct).ConfigureAwait(false);
            if (published is null && workflows.Find(name) is { } byFile && byFile.Name != name)
                published = await catalog.FindPublishedAsync(byFile.Name, null, ct).ConfigureAwait(false);
            if (published is not null) return (published.Definition, null);
        }
        catch (WorkflowEngineException e)
        {
            return (null, e.Message);
        }
        var known = (await catalog.Store.ListCatalogAsync(ct).ConfigureAwait(false)).Where(w => w.PublishedVersion > 0).Select(w => w.Name).ToList();
        var names = known.Count == 0 ? "none" : string.Join(", ", known);
        return (null, $"unknown workflow '{name}' (this server knows: {names})");
    }

    private static JsonObject? Inputs(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new JsonObject();
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task RejectAsync(ConsumeContext<StartWorkflow> context, string reason)
    {
        var message = context.Message;
        Log.StartRejected(logger, message.MessageId ?? "", message.Workflow ?? "", reason);
        await context.Publish(new WorkflowStatusChanged
        {
            InstanceId = message.MessageId ?? "",
            Workflow = message.Workflow ?? "",
            Status = WorkflowStatuses.Rejected,
            Fault = reason,
            At = clock.GetUtcNow(),
        }).ConfigureAwait(false);
    }
}
