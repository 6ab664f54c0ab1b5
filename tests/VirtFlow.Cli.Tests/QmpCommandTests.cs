using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Cli.Commands;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

public sealed class QmpCommandTests(QmpCliVmFixture fixture) : IClassFixture<QmpCliVmFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private QemuVm Vm => fixture.Vm;

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await QmpCommand.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static void AssertOneLine(string stderr, string startsWith)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith(startsWith, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task A_command_prints_its_return_as_indented_JSON_and_exits_0()
    {
        var (code, stdout, stderr) = await RunAsync("--socket", Vm.QmpSocketPath, "query-status");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("running", JsonNode.Parse(stdout)!["status"]!.GetValue<string>());
        Assert.Contains("\n  \"", stdout);
    }

    [Fact]
    public async Task JSON_arguments_are_sent_with_the_command()
    {
        var (code, stdout, _) = await RunAsync("--socket", Vm.QmpSocketPath, "human-monitor-command", """{"command-line": "print 42"}""");
        Assert.Equal(0, code);
        Assert.Equal("0x2a\r\n", JsonNode.Parse(stdout)!.GetValue<string>());

        (code, stdout, _) = await RunAsync("--socket=" + Vm.QmpSocketPath, "query-named-block-nodes", """{"flat": true}""");
        Assert.Equal(0, code);
        Assert.Contains(JsonNode.Parse(stdout)!.AsArray(), n => n!["node-name"]!.GetValue<string>() == "src-vda");
    }

    [Fact]
    public async Task A_QMP_error_is_one_line_class_and_description_on_stderr_with_exit_1()
    {
        var (code, stdout, stderr) = await RunAsync("--socket", Vm.QmpSocketPath, "blockdev-del", """{"node-name": "nope"}""");
        Assert.Equal((1, ""), (code, stdout));
        Assert.Equal("GenericError: Failed to find node with node-name='nope'" + Environment.NewLine, stderr);
    }

    [Fact]
    public async Task Invalid_JSON_arguments_say_where_and_exit_2_before_connecting()
    {
        var (code, stdout, stderr) = await RunAsync("--socket", "/nonexistent/qmp.sock", "blockdev-del", """{"node-name": nope}""");
        Assert.Equal((2, ""), (code, stdout));
        // 1-based position of the first character the parser rejects: the 'o' of nope.
        AssertOneLine(stderr, "qmp: invalid JSON arguments at position 16: 'nope}' is an invalid JSON literal.");
    }

    [Fact]
    public async Task JSON_arguments_that_are_not_an_object_exit_2()
    {
        var (code, _, stderr) = await RunAsync("--socket", Vm.QmpSocketPath, "query-status", "[1]");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "qmp: JSON arguments must be an object, got array");
    }

    [Fact]
    public async Task A_missing_socket_is_one_line_ConnectFailed_with_exit_1()
    {
        var path = Path.Combine(TestDirs.Create("cli"), "absent.sock");
        var (code, _, stderr) = await RunAsync("--socket", path, "query-status");
        Assert.Equal(1, code);
        AssertOneLine(stderr, $"ConnectFailed: cannot connect to unix:{path}: no such socket file");
    }

    [Fact]
    public async Task A_regular_file_is_not_a_QMP_socket_exit_1()
    {
        var path = Path.Combine(TestDirs.Create("cli"), "file.txt");
        await File.WriteAllTextAsync(path, "hello");
        var (code, _, stderr) = await RunAsync("--socket", path, "query-status");
        Assert.Equal(1, code);
        AssertOneLine(stderr, "ConnectFailed: ");
    }

    [Fact]
    public async Task A_socket_that_never_greets_is_a_ProtocolError_after_the_timeout_exit_1()
    {
        await using var silent = FakeSocketServer.Start(async (c, ct) => await c.ReadLineAsync(ct));
        var (code, _, stderr) = await RunAsync("--socket", silent.SocketPath, "--timeout", "1", "query-status");
        Assert.Equal(1, code);
        AssertOneLine(stderr, "ProtocolError: ");
        Assert.Contains("got no QMP greeting within 1 s", stderr);
    }

    [Theory]
    [InlineData("query-status")]
    [InlineData("--socket")]
    [InlineData("--socket", "S")]
    [InlineData("--socket", "S", "--events", "query-status")]
    [InlineData("--socket", "S", "--bogus", "query-status")]
    [InlineData("--socket", "S", "--timeout", "abc", "query-status")]
    [InlineData("--socket", "S", "query-status", "{}", "extra")]
    public async Task Usage_errors_exit_2_with_a_message_and_the_usage(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith("qmp: ", stderr);
        Assert.Contains("usage: virtflow qmp", stderr);
    }

    [Fact]
    public async Task A_malformed_tcp_address_is_one_line_with_exit_2()
    {
        var (code, _, stderr) = await RunAsync("--socket", "tcp:host", "query-status");
        Assert.Equal(2, code);
        AssertOneLine(stderr, "qmp: bad --socket: bad TCP address 'tcp:host' (expected tcp:HOST:PORT)");
    }

    [Fact]
    public async Task A_tcp_socket_address_works()
    {
        var (code, stdout, stderr) = await RunAsync("--socket", Vm.TcpMonitorEndpoint!, "query-version");
        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal(7, JsonNode.Parse(stdout)!["qemu"]!["major"]!.GetValue<int>());
    }

    [Fact]
    public async Task Events_stream_as_JSON_lines_until_cancelled_then_exit_0()
    {
        var stdout = new LineCaptureWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource();
        var run = QmpCommand.RunAsync(["--socket", Vm.QmpSocketPath, "--events"], stdout, stderr, cts.Token);

        var resume = stdout.WaitForLineAsync(l => l.Contains("\"RESUME\"", StringComparison.Ordinal));
        await TriggerUntilAsync(resume, run);
        await cts.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(Wait));
        Assert.Equal("", stderr.ToString());
        Assert.All(stdout.Lines, line =>
        {
            var evt = JsonNode.Parse(line)!;
            Assert.Contains(evt["event"]!.GetValue<string>(), new[] { "STOP", "RESUME" });
            Assert.True(evt["timestamp"]!["seconds"]!.GetValue<long>() > 1_600_000_000);
        });
    }

    [Fact]
    public async Task The_real_executable_prints_JSON_and_exits_0_on_success()
    {
        var result = await RunCliAsync("qmp", "--socket", Vm.QmpSocketPath, "query-status");
        Assert.Equal((0, ""), (result.ExitCode, result.StdErr));
        Assert.Equal("running", JsonNode.Parse(result.StdOut)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_real_executable_reports_failures_in_one_line_with_the_right_exit_codes()
    {
        var qmpError = await RunCliAsync("qmp", "--socket", Vm.QmpSocketPath, "blockdev-del", """{"node-name": "nope"}""");
        Assert.Equal(1, qmpError.ExitCode);
        AssertOneLine(qmpError.StdErr, "GenericError: Failed to find node");

        var missing = await RunCliAsync("qmp", "--socket", "/tmp/vf/definitely-absent.sock", "query-status");
        Assert.Equal(1, missing.ExitCode);
        AssertOneLine(missing.StdErr, "ConnectFailed: ");

        var badJson = await RunCliAsync("qmp", "--socket", Vm.QmpSocketPath, "query-status", "{oops");
        Assert.Equal(2, badJson.ExitCode);
        AssertOneLine(badJson.StdErr, "qmp: invalid JSON arguments at position 2: ");

        var unknownVerb = await RunCliAsync("frobnicate");
        Assert.Equal(2, unknownVerb.ExitCode);
        Assert.StartsWith("virtflow: unknown verb 'frobnicate'", unknownVerb.StdErr);

        var none = await RunCliAsync();
        Assert.Equal(2, none.ExitCode);
        Assert.StartsWith("usage: virtflow", none.StdErr);
    }

    [Fact]
    public async Task The_real_executable_streams_events_until_SIGTERM_then_exits_0()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { QmpCliVmFixture.CliDll, "qmp", "--socket", Vm.QmpSocketPath, "--events" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        try
        {
            var stdout = new LineCaptureWriter();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.WriteLine(e.Data); };
            process.BeginOutputReadLine();
            var stderr = process.StandardError.ReadToEndAsync();

            var resume = stdout.WaitForLineAsync(l => l.Contains("\"RESUME\"", StringComparison.Ordinal));
            await TriggerUntilAsync(resume, process.WaitForExitAsync());
            await ExternalTool.RunCheckedAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

            await process.WaitForExitAsync().WaitAsync(Wait);
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await stderr);
            Assert.NotNull(JsonNode.Parse(await resume)!["timestamp"]);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    /// <summary>
    /// The verb subscribes once connected, which the test cannot observe: pause and resume the VM (through the test's own
    /// monitor) until the verb's output shows an event. Each round waits on that output, for at most a second.
    /// </summary>
    private async Task TriggerUntilAsync(Task<string> seen, Task verbEnded)
    {
        var watch = Stopwatch.StartNew();
        while (!seen.IsCompleted)
        {
            Assert.False(verbEnded.IsCompleted, "the verb ended before streaming any event");
            Assert.True(watch.Elapsed < Wait, "no event line within " + Wait);
            await Vm.Monitor.StopAsync();
            await Vm.Monitor.ContAsync();
            await Task.WhenAny(seen, verbEnded, Task.Delay(TimeSpan.FromSeconds(1)));
        }
    }

    private static Task<ExternalTool.Result> RunCliAsync(params string[] args) =>
        ExternalTool.RunAsync("dotnet", [QmpCliVmFixture.CliDll, .. args], TimeSpan.FromSeconds(60));
}
