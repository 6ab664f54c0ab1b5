using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow qmp --socket PATH|tcp:HOST:PORT [--timeout SECONDS] COMMAND [JSON-ARGS]</c> runs one QMP command and
/// prints its return as indented JSON; <c>virtflow qmp --socket PATH --events</c> streams events as JSON lines until
/// Ctrl-C/SIGTERM. What QEMU sends is never printed raw: JSON keeps every control character escaped (also bidirectional
/// overrides), and errors are escaped and bounded (<see cref="TerminalText"/>). Exit codes: 0 success, 1 connection or QMP failure, 2 usage or bad input. Errors are one line on stderr.
/// </summary>
internal static class QmpCommand
{
    public const string Usage =
        "usage: virtflow qmp --socket PATH|tcp:HOST:PORT [--timeout SECONDS] COMMAND [JSON-ARGS]\n" +
        "       virtflow qmp --socket PATH|tcp:HOST:PORT --events";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record Options(QmpEndpoint Endpoint, TimeSpan Timeout, bool Events, string? Command, JsonObject? Arguments);

    /// <summary>Runs the verb. <paramref name="args"/> are the arguments after <c>qmp</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            await stdout.WriteLineAsync(Usage);
            return 0;
        }
        if (!TryParse(args, out var options, out var error))
        {
            await stderr.WriteLineAsync("qmp: " + error);
            // Bad values get their one line; a malformed command line also gets the usage.
            if (!error.StartsWith("invalid JSON", StringComparison.Ordinal) && !error.StartsWith("JSON arguments", StringComparison.Ordinal)
                && !error.StartsWith("bad --socket", StringComparison.Ordinal))
                await stderr.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            var clientOptions = new QmpClientOptions
            {
                ConnectTimeout = options.Timeout,
                DefaultTimeout = options.Timeout,
                EventListenerCapacity = 64 * 1024,
            };
            await using var client = await QmpClient.ConnectAsync(options.Endpoint, clientOptions, ct);
            return options.Events
                ? await StreamEventsAsync(client, stdout, ct)
                : await ExecuteAsync(client, options, stdout, ct);
        }
        catch (QmpException e)
        {
            await stderr.WriteLineAsync(OneLine($"{e.ErrorClass}: {e.Description}"));
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (options.Events) return 0;
            await stderr.WriteLineAsync("qmp: interrupted (the command may still have run in QEMU)");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await stderr.WriteLineAsync(OneLine("qmp: " + e.Message));
            return 1;
        }
    }

    private static async Task<int> ExecuteAsync(QmpClient client, Options options, TextWriter stdout, CancellationToken ct)
    {
        var reply = await client.ExecuteAsync(options.Command!, options.Arguments, cancellationToken: ct);
        await stdout.WriteLineAsync(TerminalText.EscapeJson(reply.ToJsonString(Indented)));
        return 0;
    }

    private static async Task<int> StreamEventsAsync(QmpClient client, TextWriter stdout, CancellationToken ct)
    {
        using var events = client.Subscribe();
        await foreach (var evt in events.ReadAllAsync(ct))
        {
            await stdout.WriteLineAsync(TerminalText.EscapeJson(evt.ToJson()));
            await stdout.FlushAsync(ct);
        }
        return 0;
    }

    private static bool TryParse(string[] args, out Options options, out string error)
    {
        options = null!;
        error = "";
        string? socket = null;
        var timeout = TimeSpan.FromSeconds(30);
        var events = false;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            switch (arg)
            {
                case "--socket":
                    if (!TryValue(args, ref i, inline, out socket)) return Fail(out error, "--socket needs a value");
                    break;
                case "--timeout":
                    if (!TryValue(args, ref i, inline, out var text)
                        || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                        || seconds is <= 0 or > 86_400 || double.IsNaN(seconds))
                        return Fail(out error, "--timeout needs a number of seconds (0 < s <= 86400)");
                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--events":
                    events = true;
                    break;
                case "--":
                    positional.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1 && positional.Count == 0)
                        return Fail(out error, $"unknown option {arg}");
                    positional.Add(args[i]);
                    break;
            }
        }

        if (socket is null) return Fail(out error, "--socket is required");
        if (!QmpEndpoint.TryParse(socket, out var endpoint, out var endpointError)) return Fail(out error, "bad --socket: " + endpointError);
        if (events)
        {
            if (positional.Count > 0) return Fail(out error, "--events takes no COMMAND");
            options = new Options(endpoint, timeout, true, null, null);
            return true;
        }
        if (positional.Count == 0) return Fail(out error, "missing COMMAND (or --events)");
        if (positional.Count > 2) return Fail(out error, $"unexpected argument '{positional[2]}' (put all arguments in one JSON object)");
        JsonObject? arguments = null;
        if (positional.Count == 2 && !TryParseArguments(positional[1], out arguments, out error)) return false;
        options = new Options(endpoint, timeout, false, positional[0], arguments);
        return true;
    }

    private static bool TryParseArguments(string text, out JsonObject? arguments, out string error)
    {
        arguments = null;
        error = "";
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            var where = (e.LineNumber ?? 0) > 0
                ? $"line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}"
                : $"position {e.BytePositionInLine + 1}";
            return Fail(out error, $"invalid JSON arguments at {where}: {Reason(e)}");
        }
        if (node is not JsonObject obj)
            return Fail(out error, $"JSON arguments must be an object, got {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}");
        arguments = obj;
        return true;
    }

    // JsonException messages end with " Path: $ | LineNumber: 0 | BytePositionInLine: 7.": the position is reported separately.
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return OneLine(cut > 0 ? message[..cut] : message);
    }

    private static bool TryValue(string[] args, ref int i, string? inline, out string value)
    {
        if (inline is not null)
        {
            value = inline;
            return inline.Length > 0;
        }
        if (i + 1 < args.Length)
        {
            value = args[++i];
            return true;
        }
        value = "";
        return false;
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }

    /// <summary>One line for stderr: line breaks as spaces, then what QEMU sent made safe (escaped, bounded; <see cref="TerminalText.Safe"/>).</summary>
    private static string OneLine(string text) =>
        TerminalText.Safe(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), TerminalText.LongMaxLength);
}
