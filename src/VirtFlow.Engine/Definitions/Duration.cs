using System.Globalization;
using System.Text;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// Durations as workflow files write them: a sequence of number+unit parts, largest unit first
/// (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>1.5h</c>, spaces allowed: <c>1h 30m</c>),
/// ISO 8601 (<c>PT1H30M</c>, <c>P2D</c>, <c>P1W</c>, <c>PT0.5S</c>; years and months are refused: their length
/// varies), <c>hh:mm:ss</c> (<c>01:30:00</c>), or a plain number of seconds (<c>30</c>, <c>0.5</c>, <c>0</c>), as the
/// runtime reads them. Units: <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>. Never negative.
/// </summary>
public static class Duration
{
    /// <summary>What a valid duration looks like, for error messages.</summary>
    public const string Hint = "use e.g. 500ms, 30s, 5m, 1h30m, 2d or ISO 8601 PT1H30M";

    /// <summary>Parses a duration; throws <see cref="FormatException"/> naming the text when it is not one.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value)
            ? value
            : throw new FormatException($"invalid duration '{text}': {Hint}");
    }

    /// <summary>Parses a duration; false when <paramref name="text"/> is null or not a duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        if (double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return FromMilliseconds(seconds * 1000, out value);
        if (s.Contains(':', StringComparison.Ordinal))
            return TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        return s[0] is 'P' or 'p' ? TryParseIso(s, out value) : TryParseShort(s, out value);
    }

    /// <summary>Formats a duration in the short form (<c>1h30m</c>, <c>500ms</c>, <c>0s</c>); <see cref="Parse"/> reads it back.</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(value), "durations are never negative");
        if (value == TimeSpan.Zero)
            return "0s";
        var sb = new StringBuilder();
        Append(sb, value.Days, "d");
        Append(sb, value.Hours, "h");
        Append(sb, value.Minutes, "m");
        Append(sb, value.Seconds, "s");
        var rest = value - new TimeSpan(value.Days, value.Hours, value.Minutes, value.Seconds);
        if (rest > TimeSpan.Zero)
            sb.Append(rest.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).Append("ms");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, int amount, string unit)
    {
        if (amount > 0)
            sb.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
    }

    private static bool TryParseShort(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        double totalMs = 0;
        var lastRank = int.MaxValue;
        var i = 0;
        var any = false;
        while (i < s.Length)
        {
            if (s[i] == ' ')
            {
                i++;
                continue;
            }

            if (!TryReadNumber(s, ref i, out var amount))
                return false;
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
                i++;
            var (rank, ms) = Unit(s.AsSpan(unitStart, i - unitStart));
            if (rank < 0 || rank >= lastRank)
                return false; // unknown unit, or units not largest-first (also catches a repeated unit)
            lastRank = rank;
            totalMs += amount * ms;
            any = true;
        }

        return any && FromMilliseconds(totalMs, out value);
    }

    private static (int Rank, double Milliseconds) Unit(ReadOnlySpan<char> unit) => unit switch
    {
        "w" => (6, 7 * 86_400_000d),
        "d" => (5, 86_400_000d),
        "h" => (4, 3_600_000d),
        "m" => (3, 60_000d),
        "s" => (2, 1_000d),
        "ms" => (1, 1d),
        _ => (-1, 0),
    };

    private static bool TryParseIso(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var upper = s.ToUpperInvariant();
        var i = 1;
        var inTime = false;
        double totalMs = 0;
        var lastRank = int.MaxValue;
        var any = false;
        while (i < upper.Length)
        {
            if (upper[i] == 'T')
            {
                if (inTime || i == upper.Length - 1)
                    return false;
                inTime = true;
                i++;
                continue;
            }

            if (!TryReadNumber(upper, ref i, out var amount) || i >= upper.Length)
                return false;
            var (rank, ms) = (upper[i], inTime) switch
            {
                ('W', false) => (6, 7 * 86_400_000d),
                ('D', false) => (5, 86_400_000d),
                ('H', true) => (4, 3_600_000d),
                ('M', true) => (3, 60_000d),
                ('S', true) => (2, 1_000d),
                _ => (-1, 0d),
            };
            if (rank < 0 || rank >= lastRank)
                return false;
            lastRank = rank;
            totalMs += amount * ms;
            any = true;
            i++;
        }

        return any && FromMilliseconds(totalMs, out value);
    }

    private static bool TryReadNumber(string s, ref int i, out double amount)
    {
        var start = i;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            i++;
        return double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    private static bool FromMilliseconds(double ms, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (double.IsNaN(ms) || ms < 0 || ms >= TimeSpan.MaxValue.TotalMilliseconds)
            return false;
        value = TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));
        return true;
    }
}
