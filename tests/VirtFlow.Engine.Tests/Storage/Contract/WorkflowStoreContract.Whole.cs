using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task A_commit_that_cannot_be_written_changes_nothing()
    {
        var instance = StoreTestData.Instance("i-whole-or-nothing") with { State = Document(("a", 1)) };
        await InsertAsync(instance);
        var before = await Store.GetInstanceAsync("i-whole-or-nothing");
        var journalBefore = await Store.GetJournalAsync("i-whole-or-nothing");

        // a journal line whose data cannot be written as JSON (NaN), after state, inputs and output that can
        await Assert.ThrowsAnyAsync<Exception>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = instance with { Status = InstanceStatus.Completed, Output = new JsonObject { ["done"] = true }, Input = new JsonObject { ["vm"] = "changed" } },
            ExpectedVersion = 1,
            StateChanges = Delta(new JsonObject { ["vars"] = new JsonObject { ["n"] = 7 }, ["steps"] = new JsonObject() }, ("a", 10), ("b", 2)),
            Journal = [new JournalEntry { InstanceId = "i-whole-or-nothing", Kind = "Bad", Message = "bad data", Data = new JsonObject { ["x"] = JsonValue.Create(double.NaN) } }],
        }));

        var after = await Store.GetInstanceAsync("i-whole-or-nothing");
        Assert.Equal(1, after!.Version);
        Assert.Equal(before!.Status, after.Status);
        Assert.True(JsonNode.DeepEquals(before.State, after.State), after.State.ToJsonString());
        Assert.True(JsonNode.DeepEquals(before.Input, after.Input), after.Input.ToJsonString());
        Assert.Null(after.Output);
        Assert.Equal(journalBefore.Count, (await Store.GetJournalAsync("i-whole-or-nothing")).Count);
    }
}
