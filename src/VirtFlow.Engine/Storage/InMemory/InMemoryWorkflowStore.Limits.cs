using VirtFlow.Engine.Storage.Limits;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : ICountedLimitStore
{
    private readonly Dictionary<string, List<LimitHolder>> _limits = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<LimitClaim> TryAcquireLimitAsync(string key, int max, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        lock (_gate)
        {
            var slots = LiveSlots(key);
            var mine = slots.Any(s => s.InstanceId == instanceId && s.Holder == holder);
            if (!mine && slots.Count < max) slots.Add(new LimitHolder(instanceId, holder, Now));
            return Task.FromResult(new LimitClaim(mine || slots.Any(s => s.InstanceId == instanceId && s.Holder == holder), [.. slots]));
        }
    }

    /// <inheritdoc />
    public Task<bool> ReleaseLimitAsync(string key, string instanceId, string holder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
        {
            return Task.FromResult(_limits.TryGetValue(key, out var slots) && slots.RemoveAll(s => s.InstanceId == instanceId && s.Holder == holder) > 0);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<LimitHolder>> ListLimitHoldersAsync(string key, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_gate)
            return Task.FromResult<IReadOnlyList<LimitHolder>>([.. LiveSlots(key)]);
    }

    /// <summary>Under <see cref="_gate"/>: the key's slots, those of ended (or unknown) instances dropped.</summary>
    private List<LimitHolder> LiveSlots(string key)
    {
        if (!_limits.TryGetValue(key, out var slots)) _limits[key] = slots = [];
        slots.RemoveAll(s => !_instances.TryGetValue(s.InstanceId, out var k) || k.Instance.Status is not (InstanceStatus.Running or InstanceStatus.Suspended));
        return slots;
    }
}
