using System.Globalization;
using System.Text;

namespace VirtFlow.Benchmarks;

/// <summary>Collects benchmark results and prints them as a GitHub markdown table.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; numbers are formatted invariantly (doubles with 1 decimal, thousands separated).</summary>
    public MarkdownTable Add(params object?[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns", nameof(cells));
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    /// <summary>A row of the usual latency columns from <paramref name="stats"/> (after the leading <paramref name="cells"/>).</summary>
    public MarkdownTable AddStats(Stats stats, params object?[] cells) =>
        Add([.. cells, stats.Count, stats.Median, stats.P99, stats.Mean]);

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).Append(" |\n");
        Line(headers);
        text.Append("| ").AppendJoin(" | ", widths.Select(w => new string('-', w))).Append(" |\n");
        foreach (var row in _rows) Line(row);
        return text.ToString();
    }

    private static string Format(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("#,0.0", CultureInfo.InvariantCulture),
        float f => f.ToString("#,0.0", CultureInfo.InvariantCulture),
        int or long => string.Format(CultureInfo.InvariantCulture, "{0:#,0}", cell),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };
}
