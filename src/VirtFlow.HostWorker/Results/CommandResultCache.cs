using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The results of recent commands by command id (docs/rules.md#r2-command-ids): a repeated id gets the first execution's task, even while it
/// still runs. Bounded: past the capacity the oldest finished entries are forgotten.
/// </summary>
internal sealed class CommandResultCache(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Id, Task<CommandResult> Task)>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, Task<CommandResult> Task)> _order = new();

    public int Count
    {
        get { lock (_gate) return _byId.Count; }
    }

    /// <summary>The task already known for <paramref name="commandId"/>, or registers <paramref name="created"/> (then <paramref name="added"/> is true).</summary>
    public Task<CommandResult> GetOrAdd(string commandId, Task<CommandResult> created, out bool added)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(commandId, out var node))
            {
                added = false;
                return node.Value.Task;
            }
            _byId[commandId] = _order.AddLast((commandId, created));
            added = true;
            Trim();
            return created;
        }
    }

    /// <summary>Forgets <paramref name="commandId"/> if it still maps to <paramref name="task"/> (a cancelled execution).</summary>
    public void Remove(string commandId, Task<CommandResult> task)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(commandId, out var node) && ReferenceEquals(node.Value.Task, task))
            {
                _byId.Remove(commandId);
                _order.Remove(node);
            }
        }
    }

    private void Trim()
    {
        var node = _order.First;
        while (_byId.Count > capacity && node is not null)
        {
            var next = node.Next;
            if (node.Value.Task.IsCompleted)
            {
                _byId.Remove(node.Value.Id);
                _order.Remove(node);
            }
            node = next;
        }
    }
}
