using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// The one command line of <c>virtflow</c> (System.CommandLine): help generated for the root and for each verb, bad usage
/// one line naming the option with exit code 2, and the environment's fallbacks for <c>--server</c>, <c>--api-key</c> and
/// <c>--rabbitmq</c>. Through the real executable, or the real parser in this process.
/// </summary>
public sealed class When_the_command_line_is_parsed
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);

    private static readonly string[] Verbs =
        ["qmp", "demo", "validate", "run", "resume", "event", "publish", "server", "worker", "start", "list", "status", "watch", "cancel",
         "retry", "schedules", "plan", "broker", "keys"];

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await VirtFlowCli.InvokeAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        return lines[0];
    }

    [Fact]
    public async Task The_generated_help_lists_every_verb_and_exits_0()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "--help");

        Assert.True(code == 0, stderr);
        var commands = stdout[stdout.IndexOf("Commands:", StringComparison.Ordinal)..];
        foreach (var verb in Verbs)
            Assert.Matches($@"(?m)^  {verb}\b", commands);
    }

    [Fact]
    public async Task The_help_of_run_lists_its_options_and_their_values()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "run", "--help");

        Assert.True(code == 0, stderr);
        Assert.Contains("virtflow run [<FILE>...] [options]", stdout, StringComparison.Ordinal);
        foreach (var option in new[] { "--input <NAME=VALUE>", "--inputs <FILE.json>", "--vm <NAME=qmp:PATH[,qga:PATH]>", "--storage-root <DIR>",
                     "--allow-qmp <NAME[,NAME]>", "--store <SPEC>", "--id <ID>", "--correlation <ID>", "--json", "-v, --verbose" })
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        Assert.Contains("exit code: 0 completed, 1 faulted or cancelled (Ctrl-C), 2 bad usage or invalid workflow", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server", "--rabbitmq <URI>", "--store <SPEC>", "--workflows <DIR>", "--http <URL|off>", "--allow-adhoc-definitions")]
    [InlineData("worker", "--host-id <ID>", "--rabbitmq <URI>", "--vm <NAME=qmp:PATH[,qga:PATH]>", "--heartbeat <DURATION>", "--config <FILE>")]
    [InlineData("start", "--rabbitmq <URI>", "--server <URL>", "--api-key <KEY>", "--wait", "--timeout <DURATION>", "--message-id <ID>")]
    [InlineData("list", "--status <S>", "--workflow <NAME>", "--limit <N>", "--cursor <C>", "--server <URL>", "--api-key <KEY>")]
    [InlineData("retry", "<ID>", "--from <STEP>", "--input <NAME=VALUE>", "--server <URL>")]
    [InlineData("event", "--store <SPEC>", "--key <KEY>", "--name <NAME>", "--correlation <C>", "--data <JSON|@FILE>", "--ttl <DURATION>")]
    [InlineData("publish", "<MESSAGETYPE>", "--data <JSON|@FILE>", "--rabbitmq <URI>", "--message-id <ID>", "--correlation-id <ID>")]
    [InlineData("qmp", "--socket <PATH|tcp:HOST:PORT>", "--timeout <SECONDS>", "--events")]
    [InlineData("plan", "<NAME|FILE.yaml>", "--server <URL>", "--vm <NAME=qmp:PATH[,qga:PATH]>", "--input <NAME=VALUE>")]
    [InlineData("validate", "<FILE|DIR>", "-q, --quiet", "--write-schema <SCHEMA.json>")]
    [InlineData("keys", "create", "list", "revoke")]
    [InlineData("keys|create", "--store <SPEC>", "--role <ROLE>", "--name <NAME>", "--expires <DURATION>")]
    [InlineData("schedules", "list", "pause", "resume", "trigger", "backfill")]
    [InlineData("schedules|backfill", "<ID>", "--from <TIME>", "--to <TIME>", "--overlap")]
    [InlineData("broker|setup", "--rabbitmq <ADMIN-URI>", "--hosts <H1,H2>", "--vhost <V>", "--rotate")]
    [InlineData("demo", "--qmp", "--guest <DIR>", "--keep")]
    public async Task A_verbs_help_lists_its_options(string verb, params string[] expected)
    {
        var (code, stdout, stderr) = await Cli([.. verb.Split('|'), "--help"]);

        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains($"virtflow {verb.Replace('|', ' ')}", stdout, StringComparison.Ordinal);
        foreach (var text in expected) Assert.Contains(text, stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("virtflow run: unknown option '--bogus' (see virtflow run --help)", "run", "x.yaml", "--bogus")]
    [InlineData("virtflow start: unknown option '--rabitmq' (see virtflow start --help)", "start", "hello", "--rabitmq", "amqp://h/")]
    [InlineData("virtflow list: unknown option '--stauts' (see virtflow list --help)", "list", "--stauts", "running")]
    [InlineData("virtflow keys create: unknown option '--rol' (see virtflow keys create --help)", "keys", "create", "--rol", "viewer")]
    [InlineData("virtflow schedules: unknown action 'stop' (list, pause, resume, trigger, backfill) (see virtflow schedules --help)", "schedules", "stop")]
    [InlineData("virtflow: unknown option '--verbose'", "--verbose")]
    public async Task An_unknown_option_exits_2_naming_it(string expected, params string[] args)
    {
        var (code, stdout, stderr) = await Cli(args);

        Assert.Equal((2, ""), (code, stdout));
        Assert.Equal(expected, stderr.Split('\n')[0]);
    }

    [Theory]
    [InlineData("virtflow start: --timeout 'soon' is not a positive duration", "start", "hello", "--rabbitmq", "amqp://h/", "--wait", "--timeout", "soon")]
    [InlineData("virtflow start: --server 'ftp://x' is not an http:// or https:// URL", "start", "hello", "--server", "ftp://x")]
    [InlineData("virtflow keys create: --expires '0s' is not a positive duration", "keys", "create", "--store", "sqlite:/tmp/k.db", "--role", "viewer", "--name", "x", "--expires", "0s")]
    [InlineData("virtflow run: --vm: ", "run", "x.yaml", "--vm", "vm1")]
    [InlineData("virtflow run: --vm: VM 'vm1' is given twice", "run", "x.yaml", "--vm", "vm1=qmp:/a", "--vm", "vm1=qmp:/b")]
    [InlineData("virtflow run: --storage-root '' is not a folder path", "run", "x.yaml", "--storage-root", "")]
    [InlineData("virtflow run: --store needs a value", "run", "x.yaml", "--store")]
    [InlineData("virtflow server: --rabbitmq 'memory:' is not a RabbitMQ URI", "server", "--rabbitmq", "memory:", "--store", "sqlite:/tmp/x.db", "--workflows", "/tmp")]
    [InlineData("virtflow event: --ttl 'soon' is not a duration", "event", "--store", "memory:", "--key", "k", "--ttl", "soon")]
    [InlineData("virtflow broker setup: --management 'not a url' is not a URL", "broker", "setup", "--management", "not a url")]
    [InlineData("virtflow list: --limit needs a value", "list", "--limit", "")]
    [InlineData("virtflow worker: --lease needs a value", "worker", "--lease", "")]
    [InlineData("qmp: --timeout needs a number of seconds (0 < s <= 86400)", "qmp", "--socket", "S", "--timeout", "-1", "query-status")]
    public async Task A_bad_value_exits_2_naming_the_option(string expected, params string[] args)
    {
        var (code, stdout, stderr) = await Cli(args);

        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_executable_exits_2_for_a_bad_value_with_one_line_on_stderr()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, "start", "hello", "--rabbitmq", "amqp://127.0.0.1:1/", "--wait", "--timeout", "soon");

        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith("virtflow start: --timeout 'soon' is not a positive duration", OneLine(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_option_given_twice_takes_the_last_value()
    {
        var (code, stdout, stderr) = await Cli("run", Path.Combine(TestDirs.RepoRoot, "workflows", "examples", "hello.yaml"),
            "--store", "redis:x", "--store", "memory:", "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal("Completed", JsonNode.Parse(stdout)!["status"]!.GetValue<string>(), ignoreCase: true);
    }

    [Fact]
    public async Task Inputs_and_input_files_apply_in_the_order_given()
    {
        var dir = TestDirs.Create("cli-order");
        var file = Path.Combine(dir, "inputs.json");
        await File.WriteAllTextAsync(file, """{ "who": "from the file" }""");
        var workflow = Path.Combine(dir, "echo.yaml");
        await File.WriteAllTextAsync(workflow, "name: echo\ninputs:\n  who: { type: string }\nsteps: []\noutputs:\n  who: ${ inputs.who }\n");

        var fileLast = await Cli("run", workflow, "--store", "memory:", "--json", "--input", "who=given", "--inputs", file);
        var inputLast = await Cli("run", workflow, "--store", "memory:", "--json", "--inputs", file, "--input=who=given");

        Assert.True(fileLast.Code == 0, fileLast.Err);
        Assert.Equal("from the file", JsonNode.Parse(fileLast.Out)!["outputs"]!["who"]!.GetValue<string>());
        Assert.True(inputLast.Code == 0, inputLast.Err);
        Assert.Equal("given", JsonNode.Parse(inputLast.Out)!["outputs"]!["who"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_remote_verbs_take_their_server_and_key_from_the_environment()
    {
        var unreachable = new Dictionary<string, string> { ["VIRTFLOW_SERVER"] = "http://127.0.0.1:1", ["VIRTFLOW_API_KEY"] = "vf_test" };

        await using var list = VirtFlowProcess.Start(unreachable, "list");
        var listed = await list.WaitForExitAsync(Exit);
        await using var start = VirtFlowProcess.Start(unreachable, "start", "hello");
        var started = await start.WaitForExitAsync(Exit);
        await using var noKey = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_SERVER"] = "http://127.0.0.1:1", ["VIRTFLOW_API_KEY"] = "" }, "status", "i1");
        var refused = await noKey.WaitForExitAsync(Exit);
        await using var badEnv = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_SERVER"] = "ftp://x", ["VIRTFLOW_API_KEY"] = "k" }, "watch", "i1");
        var bad = await badEnv.WaitForExitAsync(Exit);

        // The server of the environment was asked (and could not be reached: exit 1, naming it), not refused as bad usage.
        Assert.True(listed == 1, list.Stderr);
        Assert.StartsWith("virtflow list: cannot reach http://127.0.0.1:1/", OneLine(list.Stderr), StringComparison.Ordinal);
        Assert.True(started == 1, start.Stderr);
        Assert.StartsWith("virtflow start: the server did not start it: cannot reach http://127.0.0.1:1/", OneLine(start.Stderr), StringComparison.Ordinal);
        Assert.Equal(2, refused);
        Assert.Equal("virtflow status: --api-key KEY is required (or env VIRTFLOW_API_KEY) (see virtflow status --help)", OneLine(noKey.Stderr));
        Assert.Equal(2, bad);
        Assert.StartsWith("virtflow watch: --server 'ftp://x' is not an http:// or https:// URL", OneLine(badEnv.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_takes_its_broker_from_VIRTFLOW_RABBITMQ()
    {
        await using var publish = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_RABBITMQ"] = "not a uri" },
            "publish", "MigrateVm", "--data", "{}");

        Assert.Equal(2, await publish.WaitForExitAsync(Exit));
        Assert.StartsWith("virtflow publish: --rabbitmq 'not a uri' is not a RabbitMQ URI", OneLine(publish.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_verb_it_prints_the_usage_and_the_verbs_and_exits_2()
    {
        var (code, stdout, stderr) = await Cli();

        Assert.Equal((2, ""), (code, stdout));
        Assert.StartsWith("usage: virtflow VERB [options]", stderr, StringComparison.Ordinal);
        Assert.Contains("Commands:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_as_a_verb_prints_the_verbs_on_stdout_and_exits_0()
    {
        var (code, stdout, stderr) = await Cli("help");

        Assert.Equal((0, ""), (code, stderr));
        Assert.Contains("Usage:\n  virtflow [command] [options]", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  run <FILE>", stdout);
    }

    [Fact]
    public async Task A_path_like_slash_h_is_a_value_not_a_help_request()
    {
        var (code, stdout, stderr) = await Cli("validate", "/h");

        Assert.Equal((2, ""), (code, stdout));
        Assert.Equal("virtflow validate: cannot read '/h': no such file", OneLine(stderr));
    }

    [Fact]
    public async Task An_at_sign_is_a_value_not_a_response_file()
    {
        var dir = TestDirs.Create("cli-at");
        var data = Path.Combine(dir, "data.json");
        await File.WriteAllTextAsync(data, "[1]");

        var (code, _, stderr) = await Cli("publish", "MigrateVm", "--data", "@" + data, "--rabbitmq", "amqp://127.0.0.1:1/");

        Assert.Equal(2, code);
        Assert.StartsWith("virtflow publish: --data must be one JSON object", OneLine(stderr), StringComparison.Ordinal);
    }
}
