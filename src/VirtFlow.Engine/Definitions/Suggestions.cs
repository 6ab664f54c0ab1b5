namespace VirtFlow.Engine.Definitions;

/// <summary>"Did you mean" for misspelt names: the closest candidate by edit distance, if close enough.</summary>
internal static class Suggestions
{
    /// <summary>The candidate nearest to <paramref name="text"/> (case-insensitive), or null when none is plausibly meant.</summary>
    public static string? Closest(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        var allowed = Math.Max(1, Math.Min(3, text.Length / 3));
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>"; did you mean 'x'?" or empty.</summary>
    public static string DidYouMean(string text, IEnumerable<string> candidates) =>
        Closest(text, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    /// <summary>Edit distance counting a swap of two neighbours as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
