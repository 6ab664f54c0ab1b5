namespace VirtFlow.HostWorker.Tests;

/// <summary>Generous limits: the test host is a loaded 2-core machine running QEMU under TCG.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);
}
