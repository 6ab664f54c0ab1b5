using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task The_journal_after_a_sequence_returns_every_instances_later_entries_in_order_a_page_at_a_time()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Journal = [Journal("i1", "InstanceStarted"), Journal("i1", "StepStarted")] });
        await Store.CommitAsync(StoreTestData.Insert(Instance("i2")) with { Journal = [Journal("i2", "InstanceStarted")] });
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 1, Journal = [Journal("i1", "StepCompleted")] });
        var reader = Assert.IsAssignableFrom<IJournalReader>(Store);

        var all = await reader.GetJournalAfterAsync(0, null, 100);
        var firstTwo = await reader.GetJournalAfterAsync(0, null, 2);
        var rest = await reader.GetJournalAfterAsync(firstTwo[^1].Sequence, null, 100);
        var i1Later = await reader.GetJournalAfterAsync(all[0].Sequence, "i1", 100);

        Assert.Equal(["i1/InstanceStarted", "i1/StepStarted", "i2/InstanceStarted", "i1/StepCompleted"], all.Select(j => $"{j.InstanceId}/{j.Kind}"));
        Assert.Equal(all.Select(j => j.Sequence).Order(), all.Select(j => j.Sequence));
        Assert.Equal(all.Select(j => j.Sequence), firstTwo.Concat(rest).Select(j => j.Sequence));
        Assert.Equal(["StepStarted", "StepCompleted"], i1Later.Select(j => j.Kind));
        Assert.Equal("StepStarted", all[1].Data!["kind"]!.GetValue<string>());
        Assert.Empty(await reader.GetJournalAfterAsync(all[^1].Sequence, null, 100));
        Assert.Empty(await reader.GetJournalAfterAsync(0, "unknown", 100));
    }
}
