using System.Diagnostics;
using System.Globalization;

namespace VirtFlow.Testing;

// The serial console: readiness and the guest's write counter.
public sealed partial class TinyGuest
{
    private const string CounterPrefix = "counter=";

    /// <summary>
    /// Waits for <see cref="ReadyMarker"/> in <see cref="SerialLog"/> (default <see cref="DefaultReadyTimeout"/>);
    /// throws with the serial and QEMU logs when the guest reports a failure, QEMU exits, or time runs out.
    /// </summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultReadyTimeout;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var log = ReadSerialLog();
            if (log.Contains(ReadyMarker, StringComparison.Ordinal))
            {
                BootTime ??= _sinceLaunch.Elapsed;
                return;
            }
            if (log.Contains(FailedMarker, StringComparison.Ordinal))
                throw new InvalidOperationException($"the tiny guest failed to start:\n{Logs(log)}");
            if (Process.HasExited)
                throw new InvalidOperationException($"QEMU exited before the guest was ready:\n{Logs(log)}");
            if (waited.Elapsed > limit)
                throw new TimeoutException($"the tiny guest was not ready within {limit.TotalSeconds:0} s:\n{Logs(log)}");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The serial console's output so far.</summary>
    public string ReadSerialLog()
    {
        try
        {
            using var stream = new FileStream(SerialLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>The last <c>counter=N</c> the guest printed (only complete lines), or null before the first.</summary>
    public long? ReadCounter()
    {
        var log = ReadSerialLog();
        var end = log.LastIndexOf('\n');
        while (end > 0)
        {
            var start = log.LastIndexOf('\n', end - 1) + 1;
            var line = log.AsSpan(start, end - start).Trim();
            if (line.StartsWith(CounterPrefix, StringComparison.Ordinal)
                && long.TryParse(line[CounterPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return n;
            end = start - 1;
        }
        return null;
    }

    /// <summary>Polls <see cref="ReadCounter"/> until <paramref name="condition"/> holds; returns that value or throws at the deadline.</summary>
    public async Task<long> WaitForCounterAsync(Func<long, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (ReadCounter() is { } n && condition(n)) return n;
            if (Process.HasExited)
                throw new InvalidOperationException($"QEMU exited while waiting for the guest's counter:\n{Logs(ReadSerialLog())}");
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"the guest's counter (last {ReadCounter()?.ToString(CultureInfo.InvariantCulture) ?? "none"}) did not reach the condition within {timeout.TotalSeconds:0.#} s");
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// The highest counter read until <paramref name="until"/> holds (bounded): a guest watched over a span that another
    /// process ends, e.g. frozen until a worker's log says its lease ran out. Each reading counts only if the condition
    /// still did not hold after it was taken, so every reading counted was taken before the end of the span.
    /// </summary>
    public async Task<long> HighestCounterUntilAsync(Func<bool> until, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        var highest = 0L;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var reading = ReadCounter() ?? 0;
            if (until()) return highest;
            highest = Math.Max(highest, reading);
            if (Process.HasExited)
                throw new InvalidOperationException($"QEMU exited while watching the guest's counter until {what}:\n{Logs(ReadSerialLog())}");
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"after {timeout.TotalSeconds:0.#} s still watching the guest's counter (highest {highest}) until {what}");
            await Task.Delay(20, cancellationToken);
        }
    }

    private string Logs(string serial)
    {
        var tail = serial.Length > 4000 ? "..." + serial[^4000..] : serial;
        return $"--- serial.log ({SerialLog}) ---\n{tail}\n--- qemu.log ---\n{Process.ReadLog()}";
    }
}
