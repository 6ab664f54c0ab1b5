using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// A <c>StartWorkflow</c> carrying its own definition (<c>virtflow start FILE</c>, or any publisher) on a real server and
/// broker: rejected by default with one line naming the setting, nothing started; run when the server allows it
/// (<c>--allow-adhoc-definitions</c>, or <c>VirtFlow__Server__AllowAdhocDefinitions</c>).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_a_start_brings_its_own_definition(RabbitMqFixture rabbit)
{
    private const string Greet = """
        name: greet-from-file
        steps:
          - id: greet
            type: script
            with: { code: "return 'hello';" }
        outputs:
          greeting: ${ steps.greet.outputs.result }
        """;

    private static async Task<string> GreetFileAsync()
    {
        var file = Path.Combine(TestDirs.Create("client"), "greet.yaml");
        await File.WriteAllTextAsync(file, Greet);
        return file;
    }

    [Fact]
    public async Task By_default_start_FILE_is_rejected_with_one_line_naming_the_setting_and_nothing_runs()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync(await GreetFileAsync(), "--wait", "--json", "--message-id", "adhoc-1");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}\nserver:\n{server}");
        Assert.Equal("rejected", ServerScene.Document(stdout)["status"]!.GetValue<string>());
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virtflow start: the server did not start it: ", line, StringComparison.Ordinal);
        Assert.Contains("--allow-adhoc-definitions", line, StringComparison.Ordinal);
        Assert.Contains("VirtFlow:Server:AllowAdhocDefinitions", line, StringComparison.Ordinal);
        await using var store = await StoreFactory.OpenAsync(scene.Store);
        Assert.Null(await store.GetInstanceAsync("adhoc-1"));
        Assert.DoesNotContain("warning: ad hoc definitions are allowed", server.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_sender_is_refused_before_its_text_is_even_parsed()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();
        var id = "adhoc-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await WorkflowStartClient.ConnectAsync(BusTransport.Parse(scene.RabbitMq), [id], ServerScene.Ready);

        // Not even YAML: a server that parsed it would answer with a parse error instead.
        await client.SendAsync(new StartWorkflow { MessageId = id, Workflow = "compute", DefinitionText = "{{{ not: [yaml" }, ServerScene.Ready, CancellationToken.None);

        using var wait = new CancellationTokenSource(ServerScene.Finish);
        WorkflowStatusChanged status;
        do status = await client.Watch!.Messages.ReadAsync(wait.Token) as WorkflowStatusChanged ?? new WorkflowStatusChanged { InstanceId = id, Workflow = "", Status = "", At = default };
        while (status.Status != WorkflowStatuses.Rejected);
        Assert.Contains("--allow-adhoc-definitions", status.Fault, StringComparison.Ordinal);
        await using var store = await StoreFactory.OpenAsync(scene.Store);
        Assert.Null(await store.GetInstanceAsync(id));
    }

    [Fact]
    public async Task The_setting_in_the_environment_allows_it_with_a_warning_at_start()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync(new Dictionary<string, string> { ["VirtFlow__Server__AllowAdhocDefinitions"] = "true" });

        var (code, stdout, stderr) = await scene.RunStartAsync(await GreetFileAsync(), "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\nserver:\n{server}");
        Assert.Equal("hello", ServerScene.Document(stdout)["outputs"]!["greeting"]!.GetValue<string>());
        Assert.Contains("virtflow server: warning: ad hoc definitions are allowed", server.Stderr, StringComparison.Ordinal);

        // Without --wait the client cannot know what the server allows: it says so.
        (code, stdout, stderr) = await scene.RunStartAsync(await GreetFileAsync(), "--message-id", "adhoc-nowait-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var note = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--allow-adhoc-definitions", note, StringComparison.Ordinal);
        await using var store = await StoreFactory.OpenAsync(scene.Store);
        await Eventually.Until(async () => (await store.GetInstanceAsync(stdout.Trim()))?.Status == InstanceStatus.Completed, ServerScene.Finish,
            "the instance started without --wait to complete");
    }
}
