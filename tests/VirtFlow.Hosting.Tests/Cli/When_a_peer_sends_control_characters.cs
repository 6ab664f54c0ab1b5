using System.Text.Json.Nodes;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Cli;

/// <summary>
/// Text from outside (a QMP peer, a workflow's own error) reaches the terminal of a real <c>virtflow</c> process with its
/// control characters escaped: no ESC (0x1b), no C1 CSI (U+009B), no bidirectional override, on stdout or stderr.
/// </summary>
public sealed class When_a_peer_sends_control_characters
{
    private static readonly TimeSpan Exit = TimeSpan.FromMinutes(2);
    private const string Evil = "x\u001b[2J\u001b]0;owned\u0007y\u009b31mz\u007f\u202eexe.txt";

    private static void AssertClean(string text, string what)
    {
        Assert.False(text.Contains('\u001b', StringComparison.Ordinal), $"ESC in {what}: {text}");
        Assert.False(text.Contains('\u009b', StringComparison.Ordinal), $"CSI in {what}: {text}");
        Assert.False(text.Contains('\u0007', StringComparison.Ordinal), $"BEL in {what}: {text}");
        Assert.False(text.Contains('\u202e', StringComparison.Ordinal), $"RLO in {what}: {text}");
    }

    /// <summary>A QMP peer answering every command after negotiation with <paramref name="reply"/> (its id filled in).</summary>
    private static FakeSocketServer Peer(Func<string, string> reply) => FakeSocketServer.Start(async (connection, ct) =>
    {
        if (!await connection.NegotiateAsync(ct)) return;
        while (await connection.ReadLineAsync(ct) is { } line)
        {
            var id = JsonNode.Parse(line)?["id"]?.ToJsonString() ?? "null";
            await connection.SendLineAsync(reply(id), ct);
        }
    });

    [Fact]
    public async Task Virtflow_qmp_prints_a_return_as_valid_JSON_with_the_characters_escaped()
    {
        var value = new JsonObject { ["name"] = Evil }.ToJsonString();
        await using var peer = Peer(id => $$"""{"return": {{value}}, "id": {{id}}}""");

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "qmp", "--socket", peer.SocketPath, "query-evil");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        AssertClean(stdout + stderr, "the output");
        Assert.Equal(Evil, JsonNode.Parse(stdout)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Virtflow_qmp_prints_an_error_as_one_escaped_line()
    {
        var desc = JsonValue.Create("bad\r\n" + Evil + new string('!', 5000)).ToJsonString();
        await using var peer = Peer(id => $$"""{"error": {"class": "GenericError\u001b[5m", "desc": {{desc}}}, "id": {{id}}}""");

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "qmp", "--socket", peer.SocketPath, "query-evil");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        AssertClean(stdout + stderr, "the output");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("GenericError\\x1b[5m: bad x\\x1b[2J\\x1b]0;owned\\x07y\\u009b31mz\\x7f\\u202eexe.txt", line, StringComparison.Ordinal);
        Assert.EndsWith("chars)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Virtflow_qmp_events_are_JSON_lines_with_the_characters_escaped()
    {
        var data = new JsonObject { ["device"] = Evil }.ToJsonString();
        await using var peer = FakeSocketServer.Start(async (connection, ct) =>
        {
            if (!await connection.NegotiateAsync(ct)) return;
            // Again and again until the client leaves: it subscribes only after the negotiation, so a first one may pass unseen.
            using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            do await connection.SendLineAsync($$$"""{"event": "EVIL\u001b[2J", "data": {{{data}}}, "timestamp": {"seconds": 1, "microseconds": 2}}""", ct);
            while (await every.WaitForNextTickAsync(ct));
        });
        await using var events = VirtFlowProcess.Start("qmp", "--socket", peer.SocketPath, "--events");
        await events.WaitForOutputAsync("EVIL", Exit);

        events.Terminate();

        Assert.Equal(0, await events.WaitForExitAsync(Exit));
        AssertClean(events.Stdout + events.Stderr, "the events");
        var line = JsonNode.Parse(events.Stdout.Split('\n')[0])!;
        Assert.Equal("EVIL\u001b[2J", line["event"]!.GetValue<string>());
        Assert.Equal(Evil, line["data"]!["device"]!.GetValue<string>());
    }

    [Fact]
    public async Task Virtflow_run_shows_a_step_error_and_a_log_line_with_the_characters_escaped()
    {
        var file = Path.Combine(TestDirs.Create("escape-run"), "evil.yaml");
        await File.WriteAllTextAsync(file, """
            name: evil
            steps:
              - id: shout
                type: log
                with: { message: "log \e[2J\e]0;owned\a \u009b31m \u202eexe", level: error }
              - id: boom
                type: script
                with:
                  code: |
                    throw new Error('boom \x1b[2J \x9b31m \u202e ' + 'z'.repeat(5000));
            """);

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "run", file, "--store", "memory:");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        AssertClean(stdout + stderr, "the output");
        Assert.Contains("log \\x1b[2J\\x1b]0;owned\\x07 \\u009b31m \\u202eexe", stderr, StringComparison.Ordinal);
        Assert.Contains("step boom faulted: ", stdout, StringComparison.Ordinal);
        Assert.Contains("boom \\x1b[2J \\u009b31m \\u202e ", stdout, StringComparison.Ordinal);
        Assert.Contains("faulted: ", stderr, StringComparison.Ordinal);
        Assert.All((stdout + stderr).Split('\n'), l => Assert.True(l.Length < 2_300, $"{l.Length} chars"));
    }
}
