using System.Text;

namespace VirtFlow.Cli.Tests.Fuzz;

/// <summary>
/// Workflow files to throw at the parser, each made from one seeded <see cref="Random"/> (so a seed replays a case): the
/// shipped workflows mutated (bytes flipped, inserted, deleted, duplicated, aliases planted, re-encoded), and random YAML
/// (alias bombs, deep nesting in flow and block style, huge scalars, byte order marks, invalid UTF-8, tabs, control
/// characters, token soup, deeply nested steps).
/// </summary>
internal static class FuzzCases
{
    private static readonly string[] Tokens =
    [
        "-", "- ", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "<<: *a", "!!str ", "!!binary ", "!custom ", "|", ">-", "'", "\"",
        "\t", "\n", "\r\n", "  ", "    ", "# c", "---\n", "...\n", "%YAML 1.2\n", "? ", "steps:", "type: try", "type: parallel", "branches:",
        "name: x", "${ ", " }", "${ inputs.a }", "with:", "id: s", "\0", "\u0007", "\u001b[31m", "\u00e9", "\ud83d\ude00", "\ufeff", "0x1F", "~", "null",
    ];

    /// <summary>The names of the generators by kind, for messages.</summary>
    public static readonly string[] Kinds =
        ["mutated", "re-encoded", "alias bomb", "deep flow", "deep block", "huge scalar", "token soup", "deep steps", "planted aliases"];

    public static byte[] Make(int kind, Random random, IReadOnlyList<byte[]> shipped) => kind switch
    {
        0 => Mutate(random, Pick(random, shipped)),
        1 => ReEncode(random, Encoding.UTF8.GetString(Pick(random, shipped))),
        2 => Utf8(AliasBomb(random)),
        3 => Utf8(DeepFlow(random)),
        4 => Utf8(DeepBlock(random)),
        5 => Utf8(HugeScalar(random)),
        6 => Utf8(TokenSoup(random)),
        7 => Utf8(DeepSteps(random)),
        _ => Utf8(PlantAliases(random, Encoding.UTF8.GetString(Pick(random, shipped)))),
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = new List<byte>(source);
        var edits = random.Next(1, 40);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)));
                    break;
                case 3:
                    // Duplicate a chunk somewhere else: repeated keys, steps and structure.
                    var length = Math.Min(bytes.Count - at, random.Next(1, 2048));
                    var chunk = bytes.GetRange(at, length);
                    var where = random.Next(bytes.Count);
                    for (var r = random.Next(1, 8); r > 0; r--)
                        bytes.InsertRange(where, chunk);
                    break;
                case 4:
                    bytes.InsertRange(at, Utf8(Pick(random, Tokens)));
                    break;
                case 5:
                    bytes.InsertRange(at, new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 }.Take(random.Next(1, 8)));
                    break;
                default:
                    bytes.Insert(at, random.Next(2) == 0 ? (byte)'\t' : (byte)random.Next(32));
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] ReEncode(Random random, string text)
    {
        Encoding encoding = random.Next(5) switch
        {
            0 => new UTF8Encoding(true),
            1 => new UnicodeEncoding(false, true),
            2 => new UnicodeEncoding(true, true),
            3 => new UTF32Encoding(false, true),
            _ => Encoding.Latin1,
        };
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
        return random.Next(3) == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static string AliasBomb(Random random)
    {
        var width = random.Next(2, 12);
        var levels = random.Next(3, 14);
        var mapping = random.Next(2) == 0;
        var text = new StringBuilder("name: bomb\nvariables:\n  l0: &l0 \"lol\"\n");
        for (var level = 1; level <= levels; level++)
        {
            var items = Enumerable.Range(0, width).Select(i => mapping ? $"k{i}: *l{level - 1}" : $"*l{level - 1}");
            text.Append($"  l{level}: &l{level} {(mapping ? "{" : "[")}{string.Join(", ", items)}{(mapping ? "}" : "]")}\n");
        }

        return text.Append(random.Next(2) == 0 ? "steps: *l" + levels : "steps: []").Append('\n').ToString();
    }

    private static string DeepFlow(Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(50, 400) : random.Next(1000, 300_000);
        var open = random.Next(3) switch { 0 => "[", 1 => "{a: ", _ => "[{a: " };
        var close = open switch { "[" => "]", "{a: " => "}", _ => "}]" };
        var closed = random.Next(4) != 0;
        return $"name: deep\nvariables:\n  x: {string.Concat(Enumerable.Repeat(open, depth))}1{(closed ? string.Concat(Enumerable.Repeat(close, depth)) : "")}\nsteps: []\n";
    }

    private static string DeepBlock(Random random)
    {
        var depth = random.Next(50, 1200);
        var text = new StringBuilder("name: deep\nvariables:\n  x:\n");
        for (var i = 0; i < depth; i++)
            text.Append(' ', 4 + i).Append(random.Next(2) == 0 ? "- \n" : "k:\n");
        return text.Append(' ', 4 + depth).Append("1\nsteps: []\n").ToString();
    }

    private static string HugeScalar(Random random)
    {
        var length = random.Next(2) == 0 ? random.Next(1, 64 * 1024) : random.Next(1024 * 1024, 5 * 1024 * 1024);
        var body = new string((char)random.Next('a', 'z' + 1), length);
        return random.Next(4) switch
        {
            0 => $"name: x\ndescription: {body}\nsteps: []\n",
            1 => $"name: x\ndescription: \"{body}\"\nsteps: []\n",
            2 => $"name: x\ndescription: |\n  {body}\nsteps: []\n",
            _ => $"name: x\nsteps:\n  - type: log\n    with: {{ message: \"${{ '{body}' }}\" }}\n",
        };
    }

    private static string TokenSoup(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 3000); i > 0; i--)
            text.Append(Pick(random, Tokens));
        return text.ToString();
    }

    private static string DeepSteps(Random random)
    {
        var text = new StringBuilder("name: deep-steps\nsteps: ");
        var closers = new Stack<string>();
        for (var depth = random.Next(1, 80); depth > 0; depth--)
        {
            var (open, close) = random.Next(4) switch
            {
                0 => ("[{type: try, steps: ", "}]"),
                1 => ("[{type: sequence, steps: ", "}]"),
                2 => ("[{type: parallel, branches: [", "]}]"),
                _ => ("[{type: if, condition: '${ true }', then: ", "}]"),
            };
            text.Append(open);
            closers.Push(close);
        }

        text.Append("[{type: log, with: {message: hi}}]");
        while (closers.TryPop(out var close))
            text.Append(close);
        return text.Append('\n').ToString();
    }

    private static string PlantAliases(Random random, string text)
    {
        var lines = text.Split('\n').ToList();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            var line = random.Next(lines.Count);
            var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
                lines[line] = lines[line][..(colon + 2)] + $"&p{i} " + lines[line][(colon + 2)..];
            var other = random.Next(lines.Count);
            var otherColon = lines[other].IndexOf(": ", StringComparison.Ordinal);
            if (otherColon > 0)
                lines[other] = lines[other][..(otherColon + 2)] + $"*p{random.Next(1, 6)}";
        }

        return string.Join('\n', lines);
    }
}
