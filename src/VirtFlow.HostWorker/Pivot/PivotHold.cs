using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>A quiesce held around one pivot.</summary>
internal sealed class PivotHold(string method, string? leaseId, bool wasPaused, int frozen, DateTimeOffset heldAt, long heldStamp)
{
    public string Method { get; } = method;

    /// <summary>The lease; null for none (nothing held).</summary>
    public string? LeaseId { get; } = leaseId;

    public bool WasPaused { get; } = wasPaused;

    public int Frozen { get; } = frozen;

    public DateTimeOffset HeldAt { get; } = heldAt;

    public long HeldStamp { get; } = heldStamp;

    /// <summary>Set by the first release; later calls return it.</summary>
    public PivotQuiesce? Outcome { get; set; }
}
