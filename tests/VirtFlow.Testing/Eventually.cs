using System.Diagnostics;

namespace VirtFlow.Testing;

/// <summary>Waits for a condition by polling it (bounded), for state another process changes.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (watch.Elapsed > timeout) throw new TimeoutException($"after {timeout.TotalSeconds:0}s still waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public static async Task Until(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        await Until<object>(async () => await probe() ? new object() : null, timeout, what);
}
