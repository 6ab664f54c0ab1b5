using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The inputs of <c>virtflow run</c>: <c>--input NAME=VALUE</c> (VALUE as JSON when it parses, else text; <c>@FILE</c>
/// reads it from a file, <c>@@</c> starts a literal <c>@</c>) and <c>--inputs FILE.json</c> (an object), applied in
/// the order given: a later one overrides an earlier one.
/// </summary>
internal static class RunInputs
{
    /// <summary>An input source as given on the command line.</summary>
    public abstract record Source;

    /// <summary><c>--input NAME=VALUE</c>.</summary>
    public sealed record Pair(string Text) : Source;

    /// <summary><c>--inputs FILE.json</c>.</summary>
    public sealed record File(string Path) : Source;

    /// <summary>Merges the sources in order. Throws <see cref="RunUsageException"/> naming the flag at fault.</summary>
    public static JsonObject Build(IEnumerable<Source> sources)
    {
        var inputs = new JsonObject();
        foreach (var source in sources)
        {
            switch (source)
            {
                case Pair pair:
                    var (name, value) = ReadPair(pair.Text);
                    inputs[name] = value;
                    break;
                case File file:
                    foreach (var (name2, value2) in ReadObjectFile(file.Path))
                        inputs[name2] = value2?.DeepClone();
                    break;
            }
        }
        return inputs;
    }

    /// <summary>One <c>NAME=VALUE</c>.</summary>
    public static (string Name, JsonNode? Value) ReadPair(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
            throw new RunUsageException($"--input '{text}': expected NAME=VALUE (e.g. --input who=ada, --input disks='[\"vda\"]', --input disks=@disks.json)");
        var name = text[..eq].Trim();
        if (name.Length == 0) throw new RunUsageException($"--input '{text}': the input has no name");
        var raw = text[(eq + 1)..];
        if (raw.StartsWith("@@", StringComparison.Ordinal)) return (name, JsonValue.Create(raw[1..]));
        if (raw.StartsWith('@'))
        {
            var path = raw[1..];
            if (path.Length == 0) throw new RunUsageException($"--input {name}=@: no file named after '@'");
            return (name, Value(ReadFile(path, $"--input {name}=@{path}")));
        }
        return (name, Value(raw));
    }

    /// <summary>JSON when <paramref name="text"/> is a JSON document (number, true, false, null, string, array, object), else the text itself.</summary>
    public static JsonNode? Value(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 0)
        {
            try
            {
                return JsonNode.Parse(trimmed, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException)
            {
                // not JSON: a string
            }
        }
        return JsonValue.Create(text);
    }

    private static JsonObject ReadObjectFile(string path)
    {
        var text = ReadFile(path, $"--inputs {path}");
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new RunUsageException($"--inputs {path}: the file must hold a JSON object ({{\"name\": value, ...}})");
        }
        catch (JsonException e)
        {
            throw new RunUsageException($"--inputs {path}: not JSON: {e.Message}");
        }
    }

    /// <summary>
    /// An inputs file holds at most this many bytes: the engine's limit on all inputs together
    /// (<see cref="Engine.Runtime.WorkflowEngineOptions.MaxInputBytes"/>), so a larger one is refused before it is read whole.
    /// </summary>
    internal static long MaxFileBytes => LimitSettings.WithInputLimit(new Engine.Runtime.WorkflowEngineOptions()).MaxInputBytes;

    private static string ReadFile(string path, string flag)
    {
        try
        {
            // Read through a bounded buffer (the file may be a pipe, e.g. /dev/stdin): never more than the limit.
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[MaxFileBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = reader.Read(buffer, length, buffer.Length - length)) > 0)
                length += read;
            if (length > MaxFileBytes || System.Text.Encoding.UTF8.GetByteCount(buffer, 0, length) > MaxFileBytes)
                throw new RunUsageException($"{flag}: the file holds more than {MaxFileBytes:N0} bytes, the limit of a workflow's inputs (MaxInputBytes)");
            return new string(buffer, 0, length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new RunUsageException($"{flag}: cannot read the file: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }
    }
}
