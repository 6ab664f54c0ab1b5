using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    private static JournalEntry Progress(string instanceId, string step, string device, long offset) =>
        Journal(instanceId, "Progress") with { StepPath = step, Data = new JsonObject { ["device"] = device, ["offset"] = offset, ["length"] = 100 } };

    [Fact]
    public async Task The_latest_progress_is_the_last_progress_line_of_each_step_and_disk_of_that_instance_only()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with
        {
            Journal = [Journal("i1", "InstanceStarted"), Progress("i1", "move", "vda", 10), Progress("i1", "move", "vdb", 5), Journal("i1", "StepStarted")],
        });
        await Store.CommitAsync(StoreTestData.Insert(Instance("i2")) with { Journal = [Progress("i2", "move", "vda", 99)] });
        await Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            Journal = [Progress("i1", "move", "vda", 60), Progress("i1", "loop[1]/copy", "vda", 7), Journal("i1", "Log", "not progress")],
        });
        var reader = Assert.IsAssignableFrom<IJournalRangeReader>(Store);

        var latest = await reader.GetLatestProgressAsync("i1");

        Assert.Equal(["move/vdb/5", "move/vda/60", "loop[1]/copy/vda/7"],
            latest.Select(p => $"{p.StepPath}/{p.Data!["device"]}/{p.Data!["offset"]}"));
        Assert.All(latest, p => Assert.Equal(("i1", "Progress"), (p.InstanceId, p.Kind)));
        Assert.Equal(latest.Select(p => p.Sequence).Order(), latest.Select(p => p.Sequence));
        Assert.Empty(await reader.GetLatestProgressAsync("unknown"));
    }
}
