using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Tests.Catalog;

/// <summary>The catalog's line diff (pure logic): the shortest edit script and its unified form.</summary>
public sealed class When_diffing_workflow_texts
{
    private static string Text(params string[] lines) => string.Join('\n', lines) + "\n";

    [Fact]
    public void The_same_text_has_no_diff() => Assert.Equal("", LineDiff.Unified(Text("a", "b"), Text("a", "b"), "x v1", "x v2"));

    [Fact]
    public void A_changed_line_is_one_hunk_with_three_lines_of_context()
    {
        var from = Text("1", "2", "3", "4", "5", "6", "7", "8", "9");
        var to = Text("1", "2", "3", "4", "five", "6", "7", "8", "9");

        Assert.Equal("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", LineDiff.Unified(from, to, "a", "b"));
    }

    [Fact]
    public void Changes_far_apart_are_two_hunks_each_counting_its_lines_on_both_sides()
    {
        var from = Text("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
        var to = Text("new", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        Assert.Equal("--- a\n+++ b\n@@ -1,3 +1,4 @@\n+new\n a\n b\n c\n@@ -8,4 +9,3 @@\n h\n i\n j\n-k\n", LineDiff.Unified(from, to, "a", "b"));
    }

    [Fact]
    public void The_edit_script_is_the_shortest_and_keeps_the_order()
    {
        string[] a = ["a", "b", "c", "a", "b", "b", "a"];
        string[] b = ["c", "b", "a", "b", "a", "c"];

        var ops = LineDiff.Compute(a, b);

        Assert.Equal(5, ops.Count(o => o.Kind != DiffKind.Equal));
        Assert.Equal(b, Replay(a, b, ops));
    }

    [Fact]
    public void Past_the_edit_bound_the_diff_is_still_correct()
    {
        var a = Enumerable.Range(0, 3000).Select(i => $"a{i}").ToArray();
        var b = Enumerable.Range(0, 3000).Select(i => $"b{i}").ToArray();

        var ops = LineDiff.Compute(a, b);

        Assert.Equal(b, Replay(a, b, ops));
        Assert.Equal(6000, ops.Count);
    }

    private static List<string> Replay(string[] a, string[] b, IReadOnlyList<DiffOp> ops)
    {
        var result = new List<string>();
        var next = 0;
        foreach (var op in ops)
        {
            if (op.Kind == DiffKind.Insert) { result.Add(b[op.B]); continue; }
            Assert.Equal(next++, op.A);
            if (op.Kind == DiffKind.Equal) result.Add(a[op.A]);
        }
        Assert.Equal(a.Length, next);
        return result;
    }
}
