namespace VirtFlow.Engine.Storage.Limits;

/// <summary>
/// Counted limits shared by every instance on the store (a semaphore per key, e.g. <c>storage:/new/root</c>): at most
/// <c>max</c> holders at once. A slot belongs to (instance, holder); only slots of Running or Suspended instances count,
/// so a slot is released however its instance ends (completed, faulted, cancelled), also when nobody ran its release
/// step (a crash, a cancel): the store forgets such slots on the next acquire of the key. See docs/fleet.md.
/// </summary>
public interface ICountedLimitStore
{
    /// <summary>
    /// Takes a slot of <paramref name="key"/> for (<paramref name="instanceId"/>, <paramref name="holder"/>) unless
    /// <paramref name="max"/> other live holders have one. Atomic across engines on the store. A holder that has its slot
    /// already gets it again (a replayed step takes no second slot).
    /// </summary>
    Task<LimitClaim> TryAcquireLimitAsync(string key, int max, string instanceId, string holder, CancellationToken ct = default);

    /// <summary>Gives the slot back; releasing a slot not held does nothing. Returns whether a slot was released.</summary>
    Task<bool> ReleaseLimitAsync(string key, string instanceId, string holder, CancellationToken ct = default);

    /// <summary>The live holders of <paramref name="key"/> (their instance Running or Suspended), oldest first.</summary>
    Task<IReadOnlyList<LimitHolder>> ListLimitHoldersAsync(string key, CancellationToken ct = default);
}
