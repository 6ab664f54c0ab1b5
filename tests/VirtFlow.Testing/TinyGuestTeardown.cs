using VirtFlow.Qmp;

namespace VirtFlow.Testing;

/// <summary>What <see cref="TinyGuest.DisposeAsync"/> found and did before stopping QEMU.</summary>
/// <param name="WasRunning">QEMU was still running at dispose.</param>
/// <param name="StatusBefore">The freeze status the harness read, or null when it could not ask.</param>
/// <param name="Thawed">How many filesystems the harness thawed; null when it did not thaw.</param>
/// <param name="StatusAfter">The status read after the thaw, or null when it did not thaw.</param>
/// <param name="Error">Why the harness could not check or thaw, or null.</param>
public sealed record TinyGuestTeardown(bool WasRunning, QgaFsFreezeStatus? StatusBefore, int? Thawed, QgaFsFreezeStatus? StatusAfter, string? Error)
{
    /// <summary>True when QEMU exited on the harness's QMP <c>quit</c>; false when it had to be killed (or had already exited).</summary>
    public bool QuitCleanly { get; init; }

    /// <summary>True when the guest was found frozen and the harness thawed it (status read back as thawed).</summary>
    public bool ThawedByHarness => StatusBefore == QgaFsFreezeStatus.Frozen && StatusAfter == QgaFsFreezeStatus.Thawed;
}
