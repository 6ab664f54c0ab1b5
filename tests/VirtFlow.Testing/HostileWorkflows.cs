using System.Text;

namespace VirtFlow.Testing;

/// <summary>The hostile workflow files of issue 12, as text, for the parser tests and the CLI tests.</summary>
public static class HostileWorkflows
{
    /// <summary>A billion-laughs alias bomb: nine levels of nine aliases, about 430 bytes, 9^9 nodes once expanded.</summary>
    public static string AliasBomb()
    {
        var text = new StringBuilder("name: bomb\nvariables:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        var previous = 'a';
        foreach (var c in "bcdefghi")
        {
            text.Append($"  {c}: &{c} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n");
            previous = c;
        }

        return text.Append("steps:\n  - type: log\n    with: { message: hi }\n").ToString();
    }

    /// <summary>The 462-byte form: a mapping bomb (each level a mapping of ten aliases) that grows past memory when expanded.</summary>
    public static string MappingAliasBomb()
    {
        var text = new StringBuilder("name: bomb2\nvariables:\n  l0: &l0 \"lol\"\n");
        for (var level = 1; level <= 9; level++)
            text.Append($"  l{level}: &l{level} {{{string.Join(",", Enumerable.Range(0, 4).Select(i => $"k{i}: *l{level - 1}"))}}}\n");
        return text.Append("steps: []\n").ToString();
    }

    /// <summary><paramref name="depth"/> try steps, each inside the one before, a log step innermost.</summary>
    public static string NestedTry(int depth)
    {
        var text = new StringBuilder("name: deep-try\nsteps:\n");
        var indent = "  ";
        for (var i = 0; i < depth; i++)
        {
            text.Append($"{indent}- type: try\n{indent}  steps:\n");
            indent += "    ";
        }

        return text.Append($"{indent}- type: log\n{indent}  with: {{ message: hi }}\n").ToString();
    }

    /// <summary>A value nested <paramref name="depth"/> lists deep (flow style), in <c>variables:</c>.</summary>
    public static string NestedFlow(int depth) =>
        $"name: deep\nvariables:\n  x: {new string('[', depth)}{new string(']', depth)}\nsteps: []\n";

    /// <summary>Steps nested <paramref name="depth"/> sequences deep (flow style: 10,000 levels in 300 KB).</summary>
    public static string NestedSequences(int depth) =>
        "name: deep-seq\nsteps: " + string.Concat(Enumerable.Repeat("[{type: sequence, steps: ", depth)) + "[]" + new string('}', depth).Replace("}", "}]") + "\n";
}
