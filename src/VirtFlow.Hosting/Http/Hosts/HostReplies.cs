using System.Collections.Concurrent;
using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Http.Hosts;

/// <summary>
/// The results this server waits for itself (a live question to a worker, <see cref="LiveHosts"/>), by command id: the
/// host-event consumer hands each <see cref="CommandResult"/> here too. A result consumed by another server reaches the
/// asker through the store's inbox instead.
/// </summary>
public sealed class HostReplies
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandResult>> _waiting = new(StringComparer.Ordinal);

    /// <summary>Starts waiting for the result of <paramref name="commandId"/>; dispose the registration when done.</summary>
    public (Task<CommandResult> Result, IDisposable Registration) Expect(string commandId)
    {
        var source = new TaskCompletionSource<CommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[commandId] = source;
        return (source.Task, new Registration(this, commandId));
    }

    /// <summary>Completes the wait for <paramref name="result"/>'s command, if this server waits for it.</summary>
    public void Deliver(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.CommandId is { } id && _waiting.TryGetValue(id, out var source)) source.TrySetResult(result);
    }

    private sealed class Registration(HostReplies replies, string commandId) : IDisposable
    {
        public void Dispose() => replies._waiting.TryRemove(commandId, out _);
    }
}
