using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// <c>virtflow server</c> and <c>virtflow start --wait</c> as real processes on a real broker, the step's command going to
/// a real worker of the host named in the inputs.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_a_workflow_is_started_by_message(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    [Fact]
    public Task On_sqlite_start_wait_json_follows_it_to_the_end_through_the_worker_of_its_host() =>
        MainPathAsync(TestStore.Sqlite().Spec);

    [Fact]
    public async Task On_postgres_start_wait_json_follows_it_to_the_end_through_the_worker_of_its_host() =>
        await MainPathAsync((await TestStore.PostgresAsync(postgres.Server, "server")).Spec);

    private async Task MainPathAsync(string store)
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, store, ("ask-host.yaml", Workflows.AskHost));
        var hostId = "hv-" + Guid.NewGuid().ToString("N")[..6];
        await using var worker = await InTestWorker.StartAsync(rabbit.Server.AmqpUri, hostId);
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("ask-host", "--input", $"host={hostId}", "--input", "n=20", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\nserver:\n{server}");
        var document = ServerScene.Document(stdout);
        Assert.Equal("completed", document["status"]!.GetValue<string>());
        Assert.Equal("ask-host", document["workflow"]!.GetValue<string>());
        Assert.Equal(hostId, document["outputs"]!["answeredBy"]!.GetValue<string>());
        Assert.Equal("UnknownVm", document["outputs"]!["errorClass"]!.GetValue<string>());
        Assert.Equal(42, document["outputs"]!["answer"]!.GetValue<int>());
        Assert.NotNull(document["startedAt"]);
        Assert.NotNull(document["endedAt"]);

        await using var db = await StoreFactory.OpenAsync(store);
        var stored = await db.GetInstanceAsync(document["id"]!.GetValue<string>());
        Assert.Equal(InstanceStatus.Completed, stored!.Status);
    }

    [Fact]
    public async Task Without_json_it_shows_the_steps_like_run_and_the_summary()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("compute", "--input", "n=5", "--wait");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.EndsWith("] step triple started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("] step triple completed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("completed: compute ", StringComparison.Ordinal));
        Assert.Contains("outputs: {\"tripled\":15}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_id_already_seen_starts_nothing_new()
    {
        var store = TestStore.Sqlite().Spec;
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, store, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();
        var id = "once-" + Guid.NewGuid().ToString("N")[..8];

        var first = await scene.RunStartAsync("compute", "--message-id", id, "--input", "n=2", "--wait", "--json");
        var second = await scene.RunStartAsync("compute", "--message-id", id, "--input", "n=7", "--wait", "--json");
        var third = await scene.RunStartAsync("compute", "--message-id", id, "--input", "n=9");

        Assert.True(first.Code == 0, first.Stderr);
        Assert.True(second.Code == 0, second.Stderr);
        Assert.Equal(0, third.Code);
        Assert.Equal(id, third.Stdout.Trim());
        var a = ServerScene.Document(first.Stdout);
        var b = ServerScene.Document(second.Stdout);
        Assert.Equal(id, a["id"]!.GetValue<string>());
        Assert.Equal(6, a["outputs"]!["tripled"]!.GetValue<int>());
        // The second message reports the instance the first one started: same outputs (n=2, not 7), same start.
        Assert.Equal(6, b["outputs"]!["tripled"]!.GetValue<int>());
        Assert.Equal(a["startedAt"]!.GetValue<string>(), b["startedAt"]!.GetValue<string>());

        // The server took all three messages (it logs each) before the store is looked at.
        await Eventually.Until(() => Task.FromResult(server.Stderr.Split('\n').Count(l => l.Contains($"Start message {id}:", StringComparison.Ordinal)) >= 3),
            ServerScene.Finish, "the server taking the third message");
        await using var db = await StoreFactory.OpenAsync(store);
        var instances = await db.ListInstancesAsync(new InstanceQuery(WorkflowName: "compute", Limit: 100));
        var started = (await db.GetJournalAsync(id)).Count(j => j.Kind == "InstanceStarted");
        Assert.Single(instances);
        Assert.Equal(1, started);
    }

    [Fact]
    public async Task SIGTERM_stops_the_server_gracefully_with_exit_0()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();
        var ready = Assert.Single(server.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virtflow server ready: engine server:", ready, StringComparison.Ordinal);
        Assert.Contains("1 workflow (compute)", ready, StringComparison.Ordinal);

        server.Terminate();

        Assert.True(await server.WaitForExitAsync(ServerScene.Finish) == 0, server.ToString());
        Assert.DoesNotContain("   at ", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FILE_runs_a_workflow_the_server_was_not_given_when_it_allows_adhoc_definitions()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync("--allow-adhoc-definitions");
        var file = Path.Combine(TestDirs.Create("client"), "greet.yaml");
        await File.WriteAllTextAsync(file, """
            name: greet-from-file
            inputs:
              who: { type: string, default: ada }
            steps:
              - id: greet
                type: script
                with: { code: "return 'hello ' + inputs.who;" }
            outputs:
              greeting: ${ steps.greet.outputs.result }
            """);

        var (code, stdout, stderr) = await scene.RunStartAsync(file, "--input", "who=grace", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var document = ServerScene.Document(stdout);
        Assert.Equal("greet-from-file", document["workflow"]!.GetValue<string>());
        Assert.Equal("hello grace", document["outputs"]!["greeting"]!.GetValue<string>());
    }
}
