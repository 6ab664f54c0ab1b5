using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    private readonly Dictionary<string, List<TaskCompletionSource<WorkflowInstance>>> _waiters = new(StringComparer.Ordinal);

    /// <summary>The instance as stored, or null.</summary>
    public Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default) => _store.GetInstanceAsync(instanceId, ct);

    /// <summary>The instance's journal, oldest first.</summary>
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default) => _store.GetJournalAsync(instanceId, ct);

    /// <summary>
    /// Waits until the instance is final (Completed, Faulted or Cancelled) and returns it. Woken by this engine's
    /// commits; an instance finished by another engine is noticed within <see cref="WorkflowEngineOptions.TimerPollInterval"/>.
    /// </summary>
    /// <exception cref="WorkflowEngineException">No such instance.</exception>
    public async Task<WorkflowInstance> WaitForCompletionAsync(string instanceId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var waiter = new TaskCompletionSource<WorkflowInstance>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (!_waiters.TryGetValue(instanceId, out var list)) _waiters[instanceId] = list = [];
            list.Add(waiter);
        }
        try
        {
            while (true)
            {
                var current = await _store.GetInstanceAsync(instanceId, ct).ConfigureAwait(false)
                    ?? throw new WorkflowEngineException($"instance {instanceId} not found");
                if (current.IsFinal) return current;
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var poll = Task.Delay(_options.TimerPollInterval, _core.Clock, cts.Token);
                var first = await Task.WhenAny(waiter.Task, poll).ConfigureAwait(false);
                await cts.CancelAsync().ConfigureAwait(false);
                if (first == waiter.Task) return await waiter.Task.ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            lock (_waiters)
            {
                if (_waiters.TryGetValue(instanceId, out var list) && list.Remove(waiter) && list.Count == 0)
                    _waiters.Remove(instanceId);
            }
        }
    }

    private void OnInstanceCommitted(WorkflowInstance instance)
    {
        if (!instance.IsFinal) return;
        List<TaskCompletionSource<WorkflowInstance>>? list;
        lock (_waiters)
        {
            if (!_waiters.Remove(instance.Id, out list)) return;
        }
        foreach (var waiter in list) waiter.TrySetResult(instance);
    }
}
