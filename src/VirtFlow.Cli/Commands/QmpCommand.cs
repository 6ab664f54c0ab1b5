using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
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

    /// <summary>The verb: its usage errors are <c>qmp: ...</c>, followed by <see cref="Usage"/> when the command line is malformed.</summary>
    internal sealed class Verb() : Command("qmp", "Runs one QMP command and prints its return as indented JSON, or streams QMP events as JSON "
        + "lines until Ctrl-C/SIGTERM (--events). Arguments after -- are taken as they are (a COMMAND starting with '-').\n"
        + "exit code: 0 success, 1 connection or QMP failure, 2 usage or bad input")
    {
        /// <summary>Writes the usage error <paramref name="message"/>: one line, and the usage unless only a value was bad.</summary>
        public async Task WriteUsageErrorAsync(string message, TextWriter stderr)
        {
            await stderr.WriteLineAsync("qmp: " + message);
            if (!message.StartsWith("invalid JSON", StringComparison.Ordinal) && !message.StartsWith("JSON arguments", StringComparison.Ordinal)
                && !message.StartsWith("bad --socket", StringComparison.Ordinal))
                await stderr.WriteLineAsync(Usage);
        }
    }

    /// <summary>The verb, its options declared.</summary>
    public static Command Create()
    {
        var socket = new Option<string?>("--socket") { HelpName = "PATH|tcp:HOST:PORT", Description = "the QMP monitor: a unix socket or tcp:HOST:PORT (required)" };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            HelpName = "SECONDS",
            Description = "how long to connect and wait for the reply (default 30)",
            CustomParser = r => double.TryParse(r.Tokens[^1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && seconds is > 0 and <= 86_400 && !double.IsNaN(seconds)
                ? TimeSpan.FromSeconds(seconds)
                : CliOptions.Usage<TimeSpan?>(r, () => throw new RunUsageException("--timeout needs a number of seconds (0 < s <= 86400)")),
        };
        var events = CliOptions.Flag("--events", "stream QMP events as JSON lines until Ctrl-C/SIGTERM (then exit 0)");
        var positional = CliArguments.Positional("COMMAND [JSON-ARGS]", "a QMP command and its arguments as one JSON object", max: null, dashes: true);
        var command = new Verb { socket, timeout, events, positional };
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
        {
            if (parsed.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash).FirstOrDefault(t => t.Type == TokenType.Argument && VirtFlowCli.IsOption(t.Value)) is { } dashed)
                throw new RunUsageException($"unknown option {dashed.Value}");
            if (!TryParse(parsed.GetValue(socket), parsed.GetValue(timeout) ?? TimeSpan.FromSeconds(30), parsed.GetValue(events),
                    parsed.GetValue(positional) ?? [], out var options, out var error))
                throw new RunUsageException(error);
            return RunAsync(options, stdout, stderr, ct);
        });
        return command;
    }

    /// <summary>Runs <c>virtflow qmp ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["qmp", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(Options options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
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

    private static bool TryParse(string? socket, TimeSpan timeout, bool events, string[] positional, out Options options, out string error)
    {
        options = null!;
        error = "";
        if (socket is null) return Fail(out error, "--socket is required");
        if (!QmpEndpoint.TryParse(socket, out var endpoint, out var endpointError)) return Fail(out error, "bad --socket: " + endpointError);
        if (events)
        {
            if (positional.Length > 0) return Fail(out error, "--events takes no COMMAND");
            options = new Options(endpoint, timeout, true, null, null);
            return true;
        }
        if (positional.Length == 0) return Fail(out error, "missing COMMAND (or --events)");
        if (positional.Length > 2) return Fail(out error, $"unexpected argument '{positional[2]}' (put all arguments in one JSON object)");
        JsonObject? arguments = null;
        if (positional.Length == 2 && !TryParseArguments(positional[1], out arguments, out error)) return false;
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

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }

    /// <summary>One line for stderr: line breaks as spaces, then what QEMU sent made safe (escaped, bounded; <see cref="TerminalText.Safe"/>).</summary>
    private static string OneLine(string text) =>
        TerminalText.Safe(string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), TerminalText.LongMaxLength);
}
