using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task The_journal_returns_an_instances_entries_in_commit_order_with_rising_sequence()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with
        {
            Journal = [Journal("i1", "InstanceStarted"), Journal("i1", "StepStarted", "mirror vda")],
        });
        await Store.CommitAsync(StoreTestData.Insert(Instance("i2")) with { Journal = [Journal("i2", "InstanceStarted")] });
        await Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            Journal = [Journal("i1", "StepSuspended") with { At = default, Data = null, StepPath = null }],
        });

        var journal = await Store.GetJournalAsync("i1");

        Assert.Equal(["InstanceStarted", "StepStarted", "StepSuspended"], journal.Select(j => j.Kind));
        Assert.True(journal.Zip(journal.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
        Assert.All(journal, j => Assert.True(j.Sequence > 0));
        Assert.Equal("mirror vda", journal[1].Message);
        Assert.Equal("root", journal[1].StepPath);
        Assert.Equal(T0, journal[2].At);
        Assert.Null(journal[2].Data);
        Assert.Null(journal[2].StepPath);
        Assert.Single(await Store.GetJournalAsync("i2"));
    }

    [Fact]
    public async Task Saving_a_definition_twice_keeps_the_first_one()
    {
        var definition = new StoredDefinition("sha256:1", "migrate-disk", 3, """{"name":"migrate-disk"}""", T0);

        await Store.SaveDefinitionAsync(definition);
        await Store.SaveDefinitionAsync(definition with { Name = "changed", CreatedAt = T0.AddDays(1) });

        Assert.Equal(definition, await Store.GetDefinitionAsync("sha256:1"));
        Assert.Null(await Store.GetDefinitionAsync("sha256:2"));
    }
}
