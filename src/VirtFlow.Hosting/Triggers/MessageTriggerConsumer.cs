using System.Security.Cryptography;
using MassTransit;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Triggers;

namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// Starts an instance for a message on <c>virtflow.msg.{messageType}</c>: the raw body (one JSON object) is mapped to the
/// inputs (<see cref="MessageInputs"/>); the dedupe key (AMQP <c>message_id</c>, else the SHA-256 of the body) is claimed in
/// the store for the trigger's window, so the same message again, on any server, starts nothing; the correlation id is the
/// trigger's template, else the AMQP <c>correlation_id</c>. Whatever cannot start throws <see cref="MessageRejectedException"/>
/// (the endpoint's error filter moves the message to <c>_error</c> with the reason); a store that fails is retried.
/// </summary>
public sealed class MessageTriggerConsumer(
    MessageTriggerSlot slot, WorkflowEngine engine, IWorkflowStore store, IMessageDedupeStore dedupe, IExpressionEvaluator evaluator,
    MessageTriggerOptions options, TimeProvider clock, ILogger logger) : IConsumer<TriggerMessage>
{
    public async Task Consume(ConsumeContext<TriggerMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var binding = slot.Current ?? throw new MessageRejectedException($"no published workflow has the {slot.MessageType} trigger any more");
        var body = context.ReceiveContext.Body.GetBytes();
        var message = MessageInputs.Parse(body, options.MaxMessageBytes);
        var inputs = MessageInputs.Map(binding, message, evaluator);
        var amqp = AmqpProperties.Of(context);
        var messageId = amqp.MessageId ?? context.MessageId?.ToString("N");
        var correlation = MessageInputs.Correlation(binding, message, evaluator) ?? amqp.CorrelationId ?? context.CorrelationId?.ToString();
        if (correlation is { Length: > 200 }) throw new MessageRejectedException($"the correlation id has {correlation.Length} characters, more than 200");
        if (messageId is { Length: > 200 }) throw new MessageRejectedException($"the message_id has {messageId.Length} characters, more than 200");
        var key = messageId is not null ? $"id:{messageId}" : $"sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}";
        var instanceId = Guid.NewGuid().ToString("N");
        var claimed = true;
        if (binding.Settings.DedupeWindow > TimeSpan.Zero)
        {
            var claim = await dedupe.ClaimMessageKeyAsync(new MessageDedupeRecord
            {
                MessageType = binding.MessageType,
                Key = key,
                InstanceId = instanceId,
                ExpiresAt = clock.GetUtcNow() + binding.Settings.DedupeWindow,
            }, context.CancellationToken).ConfigureAwait(false);
            claimed = claim.Claimed;
            instanceId = claim.Held.InstanceId;
            if (!claimed && await store.GetInstanceAsync(instanceId, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                Log.MessageDuplicate(logger, binding.MessageType, Safe(key), instanceId);
                await dedupe.CountMessageAsync(binding.MessageType, MessageOutcome.Duplicate, context.CancellationToken).ConfigureAwait(false);
                return;
            }
            // Not claimed but no instance: the server that claimed it died before starting it, or is starting it now; the
            // start below uses the claimed id, so at most one instance exists either way.
        }
        try
        {
            await engine.StartAsync(binding.Definition, inputs, new StartOptions { InstanceId = instanceId, CorrelationId = correlation }, context.CancellationToken)
                .ConfigureAwait(false);
        }
        catch (WorkflowEngineException e)
        {
            if (claimed && binding.Settings.DedupeWindow > TimeSpan.Zero)
                await dedupe.ReleaseMessageKeyAsync(binding.MessageType, key, instanceId, context.CancellationToken).ConfigureAwait(false);
            throw new MessageRejectedException($"workflow '{binding.Workflow}' v{binding.Version}: {e.Message}", e);
        }
        Log.MessageAccepted(logger, binding.MessageType, Safe(key), instanceId, binding.Workflow, binding.Version, Safe(amqp.UserId ?? "-"));
        await dedupe.CountMessageAsync(binding.MessageType, claimed ? MessageOutcome.Accepted : MessageOutcome.Duplicate, context.CancellationToken)
            .ConfigureAwait(false);
    }

    private static string Safe(string text) => TerminalText.Safe(text, 120);
}
