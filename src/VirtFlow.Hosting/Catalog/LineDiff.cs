namespace VirtFlow.Hosting.Catalog;

/// <summary>
/// A line diff (Myers' O(ND) algorithm, after the common head and tail are set aside) and its unified form
/// (<c>---</c>/<c>+++</c> headers, <c>@@ -a,b +c,d @@</c> hunks with <see cref="Context"/> lines around each change).
/// Past <see cref="MaxEdits"/> differences the middle is given as all of the old lines removed, then all of the new ones
/// added: still a correct diff, not the shortest, and the time and memory stay bounded.
/// </summary>
public static class LineDiff
{
    /// <summary>Lines of context around a change.</summary>
    public const int Context = 3;

    /// <summary>The most differences searched for a shortest diff.</summary>
    public const int MaxEdits = 2000;

    /// <summary>The unified diff of <paramref name="from"/> to <paramref name="to"/>; empty when they are the same text.</summary>
    public static string Unified(string from, string to, string fromLabel, string toLabel)
    {
        var a = Lines(from);
        var b = Lines(to);
        var ops = Compute(a, b);
        if (ops.All(o => o.Kind == DiffKind.Equal)) return "";
        var text = new System.Text.StringBuilder();
        text.Append("--- ").Append(fromLabel).Append('\n').Append("+++ ").Append(toLabel).Append('\n');
        foreach (var (start, end) in Hunks(ops))
        {
            var aBefore = ops.Take(start).Count(o => o.Kind != DiffKind.Insert);
            var bBefore = ops.Take(start).Count(o => o.Kind != DiffKind.Delete);
            var hunk = ops.Skip(start).Take(end - start).ToList();
            var aCount = hunk.Count(o => o.Kind != DiffKind.Insert);
            var bCount = hunk.Count(o => o.Kind != DiffKind.Delete);
            text.Append("@@ -").Append(Range(aBefore, aCount)).Append(" +").Append(Range(bBefore, bCount)).Append(" @@\n");
            foreach (var op in hunk)
            {
                text.Append(op.Kind switch { DiffKind.Equal => ' ', DiffKind.Delete => '-', _ => '+' })
                    .Append(op.Kind == DiffKind.Insert ? b[op.B] : a[op.A]).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>The text's lines (<c>\r\n</c> read as <c>\n</c>; a final newline ends the last line rather than starting another).</summary>
    public static IReadOnlyList<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return [];
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>The edit script turning <paramref name="a"/> into <paramref name="b"/>, in order.</summary>
    public static IReadOnlyList<DiffOp> Compute(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var head = 0;
        while (head < a.Count && head < b.Count && a[head] == b[head]) head++;
        var tail = 0;
        while (tail < a.Count - head && tail < b.Count - head && a[a.Count - 1 - tail] == b[b.Count - 1 - tail]) tail++;
        var ops = new List<DiffOp>(a.Count + b.Count);
        for (var i = 0; i < head; i++) ops.Add(new DiffOp(DiffKind.Equal, i, i));
        var middle = Myers(a, head, a.Count - tail, b, head, b.Count - tail);
        if (middle is null)
        {
            for (var i = head; i < a.Count - tail; i++) ops.Add(new DiffOp(DiffKind.Delete, i, head));
            for (var j = head; j < b.Count - tail; j++) ops.Add(new DiffOp(DiffKind.Insert, a.Count - tail, j));
        }
        else ops.AddRange(middle);
        for (var t = tail; t > 0; t--) ops.Add(new DiffOp(DiffKind.Equal, a.Count - t, b.Count - t));
        return ops;
    }

    /// <summary>Myers' greedy search with a trace for the way back; null past <see cref="MaxEdits"/>.</summary>
    private static List<DiffOp>? Myers(IReadOnlyList<string> a, int aStart, int aEnd, IReadOnlyList<string> b, int bStart, int bEnd)
    {
        int n = aEnd - aStart, m = bEnd - bStart, max = n + m;
        var v = new int[(2 * max) + 3];
        var offset = max + 1;
        var trace = new List<int[]>();
        for (var d = 0; d <= Math.Min(max, MaxEdits); d++)
        {
            // v before this round, for k in [-d-1, d+1] at index k + d + 1.
            var snapshot = new int[(2 * d) + 3];
            Array.Copy(v, offset - d - 1, snapshot, 0, snapshot.Length);
            trace.Add(snapshot);
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[aStart + x] == b[bStart + y]) { x++; y++; }
                v[offset + k] = x;
                if (x >= n && y >= m) return Backtrack(trace, n, m, aStart, bStart);
            }
        }
        return null;
    }

    private static List<DiffOp> Backtrack(List<int[]> trace, int n, int m, int aStart, int bStart)
    {
        var ops = new List<DiffOp>();
        int x = n, y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var vd = trace[d];
            int V(int k) => vd[k + d + 1];
            var k = x - y;
            var prevK = k == -d || (k != d && V(k - 1) < V(k + 1)) ? k + 1 : k - 1;
            var prevX = V(prevK);
            var prevY = prevX - prevK;
            while (x > prevX && y > prevY)
            {
                ops.Add(new DiffOp(DiffKind.Equal, aStart + x - 1, bStart + y - 1));
                x--;
                y--;
            }
            if (d > 0) ops.Add(x == prevX ? new DiffOp(DiffKind.Insert, aStart + x, bStart + y - 1) : new DiffOp(DiffKind.Delete, aStart + x - 1, bStart + y));
            x = prevX;
            y = prevY;
        }
        ops.Reverse();
        return ops;
    }

    /// <summary>The [start, end) ranges of ops shown: each change with its context, touching ranges joined.</summary>
    private static List<(int Start, int End)> Hunks(IReadOnlyList<DiffOp> ops)
    {
        var hunks = new List<(int Start, int End)>();
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Kind == DiffKind.Equal) continue;
            var start = Math.Max(0, i - Context);
            var end = Math.Min(ops.Count, i + 1 + Context);
            if (hunks.Count > 0 && start <= hunks[^1].End) hunks[^1] = (hunks[^1].Start, end);
            else hunks.Add((start, end));
        }
        return hunks;
    }

    private static string Range(int before, int count) => count == 0 ? $"{before},0" : count == 1 ? $"{before + 1}" : $"{before + 1},{count}";
}

/// <summary>Kept, removed (a line of the old text) or added (a line of the new one).</summary>
public enum DiffKind
{
    Equal,
    Delete,
    Insert,
}

/// <summary>One step of an edit script: <see cref="A"/> indexes the old lines, <see cref="B"/> the new ones.</summary>
public readonly record struct DiffOp(DiffKind Kind, int A, int B);
