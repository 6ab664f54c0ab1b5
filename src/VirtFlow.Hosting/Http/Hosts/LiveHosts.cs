using MassTransit;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Http.Hosts;

/// <summary>
/// Asks a host's worker a read-only question now: the command goes to the host's queue (expiring there after the
/// timeout, so an offline worker never runs it late) and its <see cref="CommandResult"/> comes back through the host-event
/// consumer: to this server's <see cref="HostReplies"/>, or, when another server on the same store consumed it, through the
/// store's inbox (looked at every <see cref="InboxPoll"/>).
/// </summary>
public sealed class LiveHosts(IBus bus, VirtFlowBusBuilder setup, HostReplies replies, IWorkflowStore store, TimeProvider time)
{
    /// <summary>How often the store's inbox is read for a result another server consumed.</summary>
    public static readonly TimeSpan InboxPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Sends <paramref name="command"/> and waits up to <paramref name="timeout"/> for its result; null when none came.</summary>
    public async Task<CommandResult?> AskAsync(HostCommand command, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (reply, registration) = replies.Expect(command.CommandId);
        using (registration)
        {
            var endpoint = await bus.GetSendEndpoint(VirtFlowBus.HostCommandAddress(setup.Transport, command.HostId)).ConfigureAwait(false);
            await endpoint.Send(command, command.GetType(), Pipe.Execute<SendContext>(c => c.TimeToLive = timeout), ct).ConfigureAwait(false);
            var started = time.GetTimestamp();
            while (true)
            {
                var left = timeout - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) return null;
                try
                {
                    return await reply.WaitAsync(left < InboxPoll ? left : InboxPoll, time, ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    if (await FromInboxAsync(command.CommandId, ct).ConfigureAwait(false) is { } result) return result;
                }
            }
        }
    }

    private async Task<CommandResult?> FromInboxAsync(string commandId, CancellationToken ct)
    {
        var events = await store.FindInboxEventsAsync(EventKeys.Reply(commandId), ct).ConfigureAwait(false);
        return events.Select(e => HostMessageJson.ReadEvent<CommandResult>(e.Payload)).FirstOrDefault(r => r is not null);
    }
}
