namespace VirtFlow.Benchmarks;

/// <summary>Summary statistics of a set of samples (any unit; the caller names it).</summary>
/// <param name="Count">Number of samples.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Median">50th percentile.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Min">Smallest sample.</param>
/// <param name="Max">Largest sample.</param>
public sealed record Stats(int Count, double Mean, double Median, double P90, double P99, double Min, double Max)
{
    /// <summary>Computes the statistics (percentiles by linear interpolation between closest ranks).</summary>
    public static Stats From(IEnumerable<double> samples)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no samples", nameof(samples));
        Array.Sort(sorted);
        return new Stats(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted[0], sorted[^1]);
    }

    /// <summary>Percentile <paramref name="p"/> (0..100) of already sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        if (sorted.Count == 1) return sorted[0];
        var rank = p / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    /// <summary>Microseconds elapsed between two <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> values.</summary>
    public static double Micros(long start, long end) => (end - start) * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
}
