using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VirtFlow.Cli.Commands;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Client;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary><c>virtflow run</c> (and its companions <c>resume</c> and <c>event</c>) in-process, on the real embedded VirtFlow.</summary>
public sealed partial class RunCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(2);

    private static string Examples => Path.Combine(TestDirs.RepoRoot, "workflows", "examples");

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource(Wait);
        var code = await RunCommand.RunAsync(args, stdout, stderr, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Write(string name, string text)
    {
        var path = Path.Combine(TestDirs.Create("run"), name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string SqliteStore() => "sqlite:" + Path.Combine(TestDirs.Create("run-db"), "virtflow.db");

    private static void AssertOneLine(string stderr, string contains)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    private const string Failing = """
        name: failing
        steps:
          - id: boom
            type: fail
            with: { message: "disk vdb is gone", code: Gone }
        """;

    [Fact]
    public async Task An_example_with_json_prints_only_the_final_instance_and_exits_0()
    {
        var (code, stdout, stderr) = await Run(Path.Combine(Examples, "hello.yaml"), "--input", "who=ada", "--store", "memory:", "--json");

        Assert.True(code == 0, stderr);
        var doc = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal(["endedAt", "fault", "id", "outputs", "startedAt", "status", "workflow"], doc.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("hello", doc["workflow"]!.GetValue<string>());
        Assert.Equal("completed", doc["status"]!.GetValue<string>());
        Assert.StartsWith("Hello, ada!", doc["outputs"]!["greeting"]!.GetValue<string>());
        Assert.Null(doc["fault"]);
        var started = DateTimeOffset.Parse(doc["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var ended = DateTimeOffset.Parse(doc["endedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ended >= started);
        Assert.Matches("^[0-9a-f]{32}$", doc["id"]!.GetValue<string>());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Without_json_it_prints_a_line_per_step_event_then_the_outcome()
    {
        var (code, stdout, _) = await Run(Path.Combine(Examples, "hello.yaml"), "--store", "memory:", "--id", "hello-1");

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Contains(lines, l => Stamped().IsMatch(l) && l.EndsWith("] step greet started", StringComparison.Ordinal));
        Assert.Contains(lines, l => Stamped().IsMatch(l) && l.EndsWith("] step greet completed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("completed: hello hello-1 in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("outputs: {\"greeting\":\"Hello, world!", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_faulting_workflow_exits_1_with_the_reason()
    {
        var file = Write("failing.yaml", Failing);

        var (code, _, stderr) = await Run(file, "--store", "memory:");
        Assert.Equal(1, code);
        AssertOneLine(stderr, "faulted: step 'boom': disk vdb is gone");

        var (jsonCode, json, _) = await Run(file, "--store", "memory:", "--json");
        Assert.Equal(1, jsonCode);
        var doc = JsonNode.Parse(json)!;
        Assert.Equal("faulted", doc["status"]!.GetValue<string>());
        Assert.Contains("disk vdb is gone", doc["fault"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_workflow_exits_2_with_file_line_col_diagnostics_and_runs_nothing()
    {
        var file = Write("bad.yaml", "name: bad\nsteps:\n  - type: lgo\n");

        var (code, stdout, stderr) = await Run(file, "--store", "memory:");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith($"{file}:3:11: error: step 'step-1': unknown activity type 'lgo'; did you mean 'log'?\n", stderr);
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        var (code, _, stderr) = await Run("/nonexistent/wf.yaml", "--store", "memory:");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "cannot read '/nonexistent/wf.yaml': no such file");
    }

    [Theory]
    [InlineData("--input", "count", "--input 'count': expected NAME=VALUE")]
    [InlineData("--input", "count=abc", "input 'count'")]
    [InlineData("--input", "count=@/nonexistent/n.json", "--input count=@/nonexistent/n.json: cannot read the file: no such file")]
    [InlineData("--inputs", "/nonexistent/inputs.json", "--inputs /nonexistent/inputs.json: cannot read the file")]
    [InlineData("--vm", "vm1=/run/vm1.qmp", "--vm: ")]
    [InlineData("--store", "redis:x", "--store: unknown store spec")]
    [InlineData("--bogus", "x", "unknown option '--bogus'")]
    public async Task Bad_usage_exits_2_with_one_line_naming_the_flag(string flag, string value, string message)
    {
        var file = Write("count.yaml", "name: count\ninputs:\n  count: { type: integer, default: 1 }\nsteps:\n  - type: log\n    with: { message: \"${ inputs.count }\" }\n");

        var (code, stdout, stderr) = await Run(file, "--store", "memory:", flag, value);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        AssertOneLine(stderr, message);
    }

    [Fact]
    public async Task Inputs_are_JSON_when_they_parse_else_text_read_from_files_on_at_and_later_ones_win()
    {
        var dir = TestDirs.Create("run-inputs");
        var inputsFile = Path.Combine(dir, "inputs.json");
        File.WriteAllText(inputsFile, """{ "n": 1, "text": "from the file", "flag": false }""");
        var disks = Path.Combine(dir, "disks.json");
        File.WriteAllText(disks, """["vda", "vdb"]""");
        var file = Write("echo.yaml", """
            name: echo
            inputs:
              n: { type: integer }
              flag: { type: boolean }
              list: { type: array }
              obj: { type: object }
              text: { type: string }
              quoted: { type: string }
              disks: { type: array }
              at: { type: string }
              word: { type: string }
            steps:
              - type: log
                with: { message: ok }
            outputs:
              all: ${ inputs }
            """);

        var (code, stdout, stderr) = await Run(file, "--store", "memory:", "--json",
            "--inputs", inputsFile, "--input", "n=42", "--input", "flag=true", "--input", "list=[1, \"two\"]", "--input", "obj={\"a\": {\"b\": null}}",
            "--input", "quoted=\"42\"", "--input", $"disks=@{disks}", "--input", "at=@@home", "--input", "word=hello world");

        Assert.True(code == 0, stderr);
        var all = JsonNode.Parse(stdout)!["outputs"]!["all"]!;
        Assert.Equal(42, all["n"]!.GetValue<int>());
        Assert.True(all["flag"]!.GetValue<bool>());
        Assert.Equal("""[1,"two"]""", all["list"]!.ToJsonString());
        Assert.Equal("""{"a":{"b":null}}""", all["obj"]!.ToJsonString());
        Assert.Equal("from the file", all["text"]!.GetValue<string>());
        Assert.Equal("42", all["quoted"]!.GetValue<string>());
        Assert.Equal("""["vda","vdb"]""", all["disks"]!.ToJsonString());
        Assert.Equal("@home", all["at"]!.GetValue<string>());
        Assert.Equal("hello world", all["word"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_waiting_instance_resumes_on_an_event_queued_by_virtflow_event()
    {
        var store = SqliteStore();
        var stdout = new LineCaptureWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(Wait);
        var run = RunCommand.RunAsync([Path.Combine(Examples, "wait-for-approval.yaml"), "--store", store, "--input", "change=CH-7"], stdout, stderr, cts.Token);
        await stdout.WaitForLineAsync(l => l.EndsWith("step answer waits", StringComparison.Ordinal)).WaitAsync(Wait);

        var eventOut = new StringWriter();
        var eventCode = await EventCommand.RunAsync(["--store", store, "--name", "approval", "--correlation", "CH-7", "--data", """{"approved":true,"by":"ada"}"""], eventOut, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, eventCode);
        Assert.StartsWith("event ", eventOut.ToString());
        Assert.Contains("queued for key event:approval:CH-7 (1 instance waiting for it)", eventOut.ToString());
        Assert.True(await run.WaitAsync(Wait) == 0, stderr.ToString());
        Assert.Contains("outputs: {\"approved\":true,\"by\":\"ada\"}", stdout.ToString());
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_instance_and_exits_1_with_the_reason()
    {
        var stdout = new LineCaptureWriter();
        var stderr = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource(Wait);
        var run = RunCommand.RunAsync([Path.Combine(Examples, "wait-for-approval.yaml"), "--store", SqliteStore(), "--input", "change=CH-8"], stdout, stderr, cts.Token);
        await stdout.WaitForLineAsync(l => l.EndsWith("step answer waits", StringComparison.Ordinal)).WaitAsync(Wait);

        await cts.CancelAsync();

        Assert.Equal(1, await run.WaitAsync(Wait));
        AssertOneLine(stderr.ToString(), "cancelled: interrupted by the user (Ctrl-C or SIGTERM)");
    }

    [Fact]
    public async Task Ctrl_C_while_the_guest_is_quiesced_leaves_it_running()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var file = Write("quiesced.yaml", $$"""
            name: quiesced
            steps:
              - id: quiesce
                type: message.send
                with:
                  destination: local
                  messageType: QuiesceVm
                  payload: { vm: vm1, mode: {{QuiesceModes.Pause}}, lease: "00:30:00" }
                  waitForReply: true
                  replyTimeout: 2m
              - id: hold
                type: waitEvent
                with: { event: never }
            """);
        var stdout = new LineCaptureWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(Wait);
        var run = RunCommand.RunAsync([file, "--store", SqliteStore(), "--vm", $"vm1=qmp:{vm.QmpSocketPath}"], stdout, stderr, cts.Token);
        await stdout.WaitForLineAsync(l => l.EndsWith("step hold waits", StringComparison.Ordinal)).WaitAsync(Wait);
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);

        await cts.CancelAsync();

        Assert.Equal(1, await run.WaitAsync(Wait));
        Assert.Contains("cancelled: ", stderr.ToString());
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running, "the worker resumed the guest it paused");
    }

    [Fact]
    public async Task Resume_with_nothing_unfinished_says_so_and_exits_0()
    {
        var store = SqliteStore();
        var (code, _, _) = await Run(Path.Combine(Examples, "hello.yaml"), "--store", store);
        Assert.Equal(0, code);

        var stdout = new StringWriter();
        var resumed = await ResumeCommand.RunAsync(["--store", store], stdout, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, resumed);
        Assert.Equal("nothing to resume", stdout.ToString().Trim());
    }

    [Theory]
    [InlineData(new[] { "--store", "memory:" }, "no event: give --key KEY or --name NAME")]
    [InlineData(new[] { "--store", "memory:", "--key", "k", "--name", "n" }, "give either --key or --name, not both")]
    [InlineData(new[] { "--store", "memory:", "--key", "k", "--data", "{not json" }, "--data: not JSON")]
    [InlineData(new[] { "--store", "memory:", "--key", "k", "--ttl", "soon" }, "--ttl 'soon' is not a duration")]
    [InlineData(new[] { "--store", "memory:", "--correlation", "c", "--key", "k" }, "--correlation goes with --name")]
    public async Task Event_with_bad_usage_exits_2(string[] args, string message)
    {
        var stderr = new StringWriter();
        var code = await EventCommand.RunAsync(args, new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(2, code);
        AssertOneLine(stderr.ToString(), message);
    }

    [Fact]
    public async Task Resume_and_run_refuse_unknown_options_with_exit_2()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, await ResumeCommand.RunAsync(["--input", "x=1"], new StringWriter(), stderr, CancellationToken.None));
        AssertOneLine(stderr.ToString(), "unknown option '--input'");
        var (code, _, err) = await Run();
        Assert.Equal(2, code);
        AssertOneLine(err, "no workflow file given");
    }

    [Fact]
    public void Progress_lines_are_throttled_per_disk()
    {
        var view = new RunPlainView(TextWriter.Null, new RunViewModel(verbose: false, showInstance: false));
        var t0 = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        string? At(int seconds, string device, long offset) => view.Lines(new LiveEvent
        {
            InstanceId = "i", At = t0.AddSeconds(seconds), Kind = "Progress", Step = "move/wait",
            Data = new JsonObject { ["device"] = device, ["offset"] = offset, ["length"] = 1000 },
        }).SingleOrDefault();

        Assert.EndsWith("disk vda copying 0%", At(0, "vda", 0));
        Assert.Null(At(1, "vda", 50));
        Assert.EndsWith("disk vdb copying 3%", At(1, "vdb", 30));
        Assert.EndsWith("disk vda copying 10%", At(2, "vda", 100));
        Assert.Null(At(3, "vda", 150));
        Assert.EndsWith("disk vda copying 16%", At(8, "vda", 160));
        Assert.EndsWith("disk vda copying 100%", At(9, "vda", 1000));
        Assert.Null(At(20, "vda", 1000));
    }

    [Fact]
    public async Task A_waiting_step_says_once_that_it_waits_and_names_its_bookmarks_only_with_v()
    {
        var quiet = new LineCaptureWriter();
        var verbose = new LineCaptureWriter();
        using var cts = new CancellationTokenSource(Wait);
        var file = Path.Combine(Examples, "wait-for-approval.yaml");
        var runs = new[]
        {
            RunCommand.RunAsync([file, "--store", "memory:", "--input", "change=CH-9"], quiet, new StringWriter(), cts.Token),
            RunCommand.RunAsync([file, "--store", "memory:", "--input", "change=CH-9", "-v"], verbose, new StringWriter(), cts.Token),
        };
        await verbose.WaitForLineAsync(l => l.EndsWith("step answer waits for event, timeout", StringComparison.Ordinal)).WaitAsync(Wait);
        await quiet.WaitForLineAsync(l => l.EndsWith("step answer waits", StringComparison.Ordinal)).WaitAsync(Wait);
        await cts.CancelAsync();
        await Task.WhenAll(runs);

        Assert.DoesNotContain("waits for", quiet.ToString(), StringComparison.Ordinal);
        Assert.Contains("step answer waits for event, timeout", verbose.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\] ")]
    private static partial Regex Stamped();
}
