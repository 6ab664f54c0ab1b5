using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// <c>virtflow server --workflows DIR</c> imports the folder into the store's workflow catalog as published versions, and
/// a start by name runs the catalog's published version: real server processes, a real broker, SQLite and PostgreSQL.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_the_server_imports_its_workflows(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    /// <summary>The folder's <c>compute</c> changed: it multiplies by 4 (a comment added too: the text is what counts).</summary>
    private static readonly string Times4 = Times(4) + "\n# changed in the file\n";

    /// <summary>Published through the catalog: it multiplies by 5.</summary>
    private static readonly string Times5 = Times(5);

    private static string Times(int factor) =>
        Workflows.Compute.Replace("inputs.n * 3;", $"inputs.n * {factor};", StringComparison.Ordinal);

    [Fact]
    public Task On_sqlite_an_unchanged_file_adds_no_version_a_changed_one_the_next_and_starts_run_the_published_one() =>
        ImportAndStartAsync(TestStore.Sqlite().Spec);

    [Fact]
    public async Task On_postgres_an_unchanged_file_adds_no_version_a_changed_one_the_next_and_starts_run_the_published_one() =>
        await ImportAndStartAsync((await TestStore.PostgresAsync(postgres.Server, "catalog")).Spec);

    private async Task ImportAndStartAsync(string store)
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, store, ("compute.yaml", Workflows.Compute));
        await RestartAsync(scene);
        await RestartAsync(scene);
        await using (var db = await StoreFactory.OpenAsync(store))
        {
            var workflow = (await ((IWorkflowCatalogStore)db).GetCatalogWorkflowAsync("compute"))!;
            Assert.Equal([1], workflow.Versions.Select(v => v.Version));
            Assert.Equal(Workflows.Compute, (await ((IWorkflowCatalogStore)db).GetCatalogVersionAsync("compute", 1))!.Yaml);
            Assert.EndsWith("compute.yaml", workflow.Versions[0].Source, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(Path.Combine(scene.WorkflowDir, "compute.yaml"), Times4);
        await using var server = await scene.StartServerAsync();
        var v2 = await StartAsync(scene, server, n: 5);
        Assert.Equal(20, v2.Output);

        await using var db2 = await StoreFactory.OpenAsync(store);
        var catalog = (IWorkflowCatalogStore)db2;
        var second = (await catalog.GetCatalogVersionAsync("compute", 2))!;
        Assert.Equal(Times4, second.Yaml);
        Assert.Equal(Hash(Times4), second.DefinitionHash);
        var instance = (await db2.GetInstanceAsync(v2.Id))!;
        Assert.Equal((2, Hash(Times4)), (instance.WorkflowVersion, instance.DefinitionHash));

        // Published into the catalog while the server runs (as the designer does): the next start by name runs it, not the folder's file.
        var draft = await catalog.SaveCatalogDraftAsync(new CatalogDraftSave { Name = "compute", Yaml = Times5, SavedBy = "test", ExpectedETag = "v2" });
        await catalog.PublishCatalogDraftAsync("compute", draft.ETag, Hash(Times5), "test");
        var v3 = await StartAsync(scene, server, n: 5);
        Assert.Equal(25, v3.Output);
        Assert.Equal(3, (await db2.GetInstanceAsync(v3.Id))!.WorkflowVersion);
    }

    [Fact]
    public async Task A_start_by_file_name_runs_the_published_version_of_the_workflow_in_that_file()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("triple-it.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("triple-it", "--input", "n=3", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\nserver:\n{server}");
        Assert.Equal(9, ServerScene.Document(stdout)["outputs"]!["tripled"]!.GetValue<int>());
    }

    private static string Hash(string yaml) => WorkflowParser.Parse(yaml, "compute.yaml").Definition!.Hash;

    private static async Task RestartAsync(ServerScene scene)
    {
        await using var server = await scene.StartServerAsync();
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(ServerScene.Finish));
    }

    private static async Task<(string Id, int Output)> StartAsync(ServerScene scene, VirtFlowProcess server, int n)
    {
        var (code, stdout, stderr) = await scene.RunStartAsync("compute", "--input", $"n={n}", "--wait", "--json");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\nserver:\n{server}");
        var document = ServerScene.Document(stdout);
        return (document["id"]!.GetValue<string>(), document["outputs"]!["tripled"]!.GetValue<int>());
    }
}
