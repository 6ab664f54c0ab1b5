using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    private static JsonObject Document(params (string Path, int Value)[] steps)
    {
        var map = new JsonObject();
        foreach (var (path, value) in steps) map[path] = new JsonObject { ["status"] = "Completed", ["n"] = value };
        return new JsonObject { ["vars"] = new JsonObject { ["n"] = steps.Length }, ["steps"] = map };
    }

    private static StateDelta Delta(JsonObject header, params (string Path, int? Value)[] steps) => new()
    {
        Header = header,
        Steps = steps.Select(s => StateDelta.Entry(s.Path,
            s.Value is { } v ? new JsonObject { ["status"] = "Completed", ["n"] = v } : null)).ToList(),
    };

    [Fact]
    public async Task A_commit_with_state_changes_changes_only_the_entries_it_names_and_reads_give_the_whole_document()
    {
        var instance = StoreTestData.Instance("i-delta") with { State = Document(("a", 1), ("b", 2), ("loop[0]/c", 3)) };
        await InsertAsync(instance);

        var header = new JsonObject { ["vars"] = new JsonObject { ["n"] = 9 }, ["steps"] = new JsonObject() };
        var version = await Store.CommitAsync(new InstanceCommit
        {
            Instance = instance with { State = new JsonObject { ["ignored"] = true } },
            ExpectedVersion = 1,
            StateChanges = Delta(header, ("b", 20), ("loop[1]/c", 4), ("a", null)),
        });

        var read = await Store.GetInstanceAsync("i-delta");
        var expected = new JsonObject
        {
            ["vars"] = new JsonObject { ["n"] = 9 },
            ["steps"] = new JsonObject
            {
                ["b"] = new JsonObject { ["status"] = "Completed", ["n"] = 20 },
                ["loop[0]/c"] = new JsonObject { ["status"] = "Completed", ["n"] = 3 },
                ["loop[1]/c"] = new JsonObject { ["status"] = "Completed", ["n"] = 4 },
            },
        };
        Assert.Equal(2, version);
        Assert.True(JsonNode.DeepEquals(expected, read!.State), read.State.ToJsonString());
        var listed = Assert.Single(await Store.ListInstancesAsync(new InstanceQuery()));
        Assert.True(JsonNode.DeepEquals(expected, listed.State), listed.State.ToJsonString());
    }

    [Fact]
    public async Task A_whole_document_after_state_changes_replaces_every_entry()
    {
        var instance = StoreTestData.Instance("i-whole") with { State = Document(("a", 1)) };
        await InsertAsync(instance);
        await Store.CommitAsync(new InstanceCommit
        {
            Instance = instance,
            ExpectedVersion = 1,
            StateChanges = Delta(new JsonObject { ["steps"] = new JsonObject() }, ("b", 2)),
        });

        var whole = Document(("c", 3));
        await Store.CommitAsync(new InstanceCommit { Instance = instance with { State = whole }, ExpectedVersion = 2 });

        var read = await Store.GetInstanceAsync("i-whole");
        Assert.True(JsonNode.DeepEquals(whole, read!.State), read.State.ToJsonString());
    }

    [Fact]
    public async Task A_commit_with_state_changes_that_loses_the_race_changes_no_entry()
    {
        var instance = StoreTestData.Instance("i-lost") with { State = Document(("a", 1)) };
        await InsertAsync(instance);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = instance,
            ExpectedVersion = 7,
            StateChanges = Delta(new JsonObject { ["steps"] = new JsonObject() }, ("a", null), ("b", 2)),
        }));

        var read = await Store.GetInstanceAsync("i-lost");
        Assert.True(JsonNode.DeepEquals(Document(("a", 1)), read!.State), read.State.ToJsonString());
    }
}
