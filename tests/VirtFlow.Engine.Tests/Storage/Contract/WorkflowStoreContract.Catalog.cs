using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Catalog;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    private IWorkflowCatalogStore Catalog => (IWorkflowCatalogStore)Store;

    private static CatalogDraftSave Draft(string name, string yaml, string? etag, string by = "alice") =>
        new() { Name = name, Yaml = yaml, SavedBy = by, ExpectedETag = etag };

    [Fact]
    public async Task Catalog_an_import_publishes_version_1_with_the_text_exactly_as_written()
    {
        const string yaml = "name: backup   # the nightly one\nsteps: []\n";
        Clock.Advance(TimeSpan.FromMilliseconds(1234.5678));

        var import = await Catalog.ImportCatalogVersionAsync("backup", yaml, "hash-1", "workflows/backup.yaml", "server-a");

        Assert.True(import.Added);
        var read = await Catalog.GetCatalogVersionAsync("backup");
        Assert.Equal(new CatalogVersion
        {
            Name = "backup", Version = 1, Yaml = yaml, DefinitionHash = "hash-1", PublishedBy = "server-a",
            PublishedAt = T0.AddMilliseconds(1234), Source = "workflows/backup.yaml",
        }, read);
        Assert.Equal(read, import.Version);
        var workflow = (await Catalog.GetCatalogWorkflowAsync("backup"))!;
        Assert.Equal(1, workflow.PublishedVersion);
        Assert.Equal("v1", workflow.ETag);
        Assert.Null(workflow.Draft);
        Assert.Equal([read!.Info], workflow.Versions);
    }

    [Fact]
    public async Task Catalog_an_unchanged_import_adds_no_version_and_a_changed_one_adds_the_next()
    {
        await Catalog.ImportCatalogVersionAsync("backup", "a", "h-a", "backup.yaml", "s");
        var again = await Catalog.ImportCatalogVersionAsync("backup", "a", "h-a", "backup.yaml", "s");
        var changed = await Catalog.ImportCatalogVersionAsync("backup", "b", "h-b", "backup.yaml", "s");

        Assert.False(again.Added);
        Assert.Equal(1, again.Version.Version);
        Assert.True(changed.Added);
        Assert.Equal(2, changed.Version.Version);
        Assert.Equal([1, 2], (await Catalog.GetCatalogWorkflowAsync("backup"))!.Versions.Select(v => v.Version));
        Assert.Equal("a", (await Catalog.GetCatalogVersionAsync("backup", 1))!.Yaml);
        Assert.Equal("b", (await Catalog.GetCatalogVersionAsync("backup"))!.Yaml);
    }

    [Fact]
    public async Task Catalog_an_unchanged_file_does_not_undo_a_version_published_since()
    {
        await Catalog.ImportCatalogVersionAsync("backup", "from-file", "h1", "backup.yaml", "s");
        var draft = await Catalog.SaveCatalogDraftAsync(Draft("backup", "from-designer", "v1"));
        await Catalog.PublishCatalogDraftAsync("backup", draft.ETag, "h2", "alice");

        var import = await Catalog.ImportCatalogVersionAsync("backup", "from-file", "h1", "backup.yaml", "s");

        Assert.False(import.Added);
        Assert.Equal("from-designer", (await Catalog.GetCatalogVersionAsync("backup"))!.Yaml);
    }

    [Fact]
    public async Task Catalog_a_draft_save_needs_the_current_etag_and_gets_a_new_one_every_time()
    {
        await Catalog.ImportCatalogVersionAsync("backup", "v1 text", "h1", "backup.yaml", "s");

        var first = await Catalog.SaveCatalogDraftAsync(Draft("backup", "draft 1", "v1"));
        var second = await Catalog.SaveCatalogDraftAsync(Draft("backup", "draft 2", first.ETag, by: "bob"));
        var stale = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.SaveCatalogDraftAsync(Draft("backup", "draft 3", first.ETag)));
        var staleVersion = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.SaveCatalogDraftAsync(Draft("backup", "draft 3", "v1")));

        Assert.NotEqual(first.ETag, second.ETag);
        Assert.NotEqual("v1", first.ETag);
        Assert.Equal(second.ETag, stale.CurrentETag);
        Assert.Equal(1, stale.PublishedVersion);
        Assert.Equal(second.ETag, staleVersion.CurrentETag);
        Assert.Equal(second, await Catalog.GetCatalogDraftAsync("backup"));
        Assert.Equal(new CatalogDraftInfo { ETag = second.ETag, SavedBy = "bob", SavedAt = T0, BaseVersion = 1 }, (await Catalog.GetCatalogWorkflowAsync("backup"))!.Draft);
        Assert.Equal(second.ETag, (await Catalog.GetCatalogWorkflowAsync("backup"))!.ETag);
        Assert.Equal("v1 text", (await Catalog.GetCatalogVersionAsync("backup"))!.Yaml);
    }

    [Fact]
    public async Task Catalog_a_new_workflow_is_created_by_a_draft_without_etag_only_once()
    {
        var draft = await Catalog.SaveCatalogDraftAsync(Draft("fresh", "text", null));
        var again = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.SaveCatalogDraftAsync(Draft("fresh", "other", null)));
        var unknown = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.SaveCatalogDraftAsync(Draft("nowhere", "text", "v1")));

        Assert.Equal(draft.ETag, again.CurrentETag);
        Assert.Null(unknown.CurrentETag);
        var workflow = (await Catalog.GetCatalogWorkflowAsync("fresh"))!;
        Assert.Equal(0, workflow.PublishedVersion);
        Assert.Empty(workflow.Versions);
        Assert.Null(await Catalog.GetCatalogVersionAsync("fresh"));
        Assert.Equal("text", (await Catalog.GetCatalogDraftAsync("fresh"))!.Yaml);
    }

    [Fact]
    public async Task Catalog_publish_makes_the_draft_the_next_version_and_removes_the_draft()
    {
        await Catalog.ImportCatalogVersionAsync("backup", "one", "h1", "backup.yaml", "s");
        var draft = await Catalog.SaveCatalogDraftAsync(Draft("backup", "two", "v1"));
        Clock.Advance(TimeSpan.FromSeconds(5));

        var published = await Catalog.PublishCatalogDraftAsync("backup", draft.ETag, "h2", "carol");
        var twice = await Assert.ThrowsAsync<CatalogConflictException>(() => Catalog.PublishCatalogDraftAsync("backup", draft.ETag, "h2", "carol"));

        Assert.Equal(new CatalogVersion
        {
            Name = "backup", Version = 2, Yaml = "two", DefinitionHash = "h2", PublishedBy = "carol", PublishedAt = T0.AddSeconds(5),
        }, published);
        Assert.Equal("v2", twice.CurrentETag);
        Assert.Null(await Catalog.GetCatalogDraftAsync("backup"));
        var workflow = (await Catalog.GetCatalogWorkflowAsync("backup"))!;
        Assert.Equal((2, "v2", (CatalogDraftInfo?)null), (workflow.PublishedVersion, workflow.ETag, workflow.Draft));
        Assert.Equal("one", (await Catalog.GetCatalogVersionAsync("backup", 1))!.Yaml);
        Assert.Null(await Catalog.GetCatalogVersionAsync("backup", 3));
    }

    [Fact]
    public async Task Catalog_an_import_keeps_the_draft_and_its_etag()
    {
        await Catalog.ImportCatalogVersionAsync("backup", "one", "h1", "backup.yaml", "s");
        var draft = await Catalog.SaveCatalogDraftAsync(Draft("backup", "mine", "v1"));

        await Catalog.ImportCatalogVersionAsync("backup", "one changed", "h2", "backup.yaml", "s");

        var workflow = (await Catalog.GetCatalogWorkflowAsync("backup"))!;
        Assert.Equal((2, draft.ETag), (workflow.PublishedVersion, workflow.ETag));
        Assert.Equal("mine", (await Catalog.GetCatalogDraftAsync("backup"))!.Yaml);
    }

    [Fact]
    public async Task Catalog_lists_every_workflow_by_name_with_its_versions()
    {
        await Catalog.ImportCatalogVersionAsync("zeta", "z", "hz", "zeta.yaml", "s");
        await Catalog.ImportCatalogVersionAsync("alpha", "a1", "ha1", "alpha.yaml", "s");
        await Catalog.ImportCatalogVersionAsync("alpha", "a2", "ha2", "alpha.yaml", "s");
        await Catalog.SaveCatalogDraftAsync(Draft("mid", "m", null));

        var list = await Catalog.ListCatalogAsync();

        Assert.Equal(["alpha", "mid", "zeta"], list.Select(w => w.Name));
        Assert.Equal([1, 2], list[0].Versions.Select(v => v.Version));
        Assert.Equal(["ha1", "ha2"], list[0].Versions.Select(v => v.DefinitionHash));
        Assert.Equal((0, true), (list[1].PublishedVersion, list[1].Draft is not null));
        Assert.Equal(1, list[2].PublishedVersion);
    }

    [Fact]
    public async Task Catalog_publishes_at_once_from_two_stores_never_share_a_version_number()
    {
        await using var other = OpenSameStorage(Options);
        await other.InitializeAsync();
        var stores = new[] { Catalog, (IWorkflowCatalogStore)other };
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var imports = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await stores[i % 2].ImportCatalogVersionAsync("race", $"text {i}", $"h{i}", "race.yaml", $"server-{i % 2}");
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(imports);

        Assert.Equal(Enumerable.Range(1, 20), results.Select(r => r.Version.Version).Order());
        var stored = (await Catalog.GetCatalogWorkflowAsync("race"))!;
        Assert.Equal(20, stored.PublishedVersion);
        Assert.Equal(Enumerable.Range(1, 20), stored.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Catalog_of_two_draft_saves_with_the_same_etag_exactly_one_wins()
    {
        await using var other = OpenSameStorage(Options);
        await other.InitializeAsync();
        await Catalog.ImportCatalogVersionAsync("race", "base", "h", "race.yaml", "s");
        var etag = "v1";
        for (var round = 0; round < 10; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task<CatalogDraft?> Save(IWorkflowCatalogStore store, string who)
            {
                await start.Task;
                try
                {
                    return await store.SaveCatalogDraftAsync(Draft("race", who + round, etag, who));
                }
                catch (CatalogConflictException)
                {
                    return null;
                }
            }

            var a = Task.Run(() => Save(Catalog, "a"));
            var b = Task.Run(() => Save((IWorkflowCatalogStore)other, "b"));
            start.SetResult();
            var saved = await Task.WhenAll(a, b);

            var winner = Assert.Single(saved, d => d is not null)!;
            Assert.Equal(winner, await Catalog.GetCatalogDraftAsync("race"));
            etag = winner.ETag;
        }
    }
}
