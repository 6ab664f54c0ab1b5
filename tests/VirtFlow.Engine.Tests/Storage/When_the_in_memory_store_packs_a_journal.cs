using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage;

/// <summary>
/// The in-memory store numbers journal kinds in a table of at most 1,024 (each entry keeps its kind's number); kinds
/// past it are kept inline in their entries. Either way, what was written is read back.
/// </summary>
public sealed class When_the_in_memory_store_packs_a_journal
{
    [Fact]
    public async Task Kinds_past_the_table_of_1024_are_kept_inline_and_read_back_everywhere()
    {
        var store = new InMemoryWorkflowStore();
        await store.CommitAsync(StoreTestData.Insert(Instance("i1")));
        var kinds = Enumerable.Range(0, 1100).Select(n => $"Kind{n}").Append("Progress").ToList();
        for (var n = 0; n < kinds.Count; n += 100)
        {
            await store.CommitAsync(new InstanceCommit
            {
                Instance = Instance("i1"),
                ExpectedVersion = n / 100 + 1,
                Journal = [.. kinds.Skip(n).Take(100).Select(k => Journal("i1", k) with { Data = new JsonObject { ["device"] = "vda", ["kind"] = k } })],
            });
        }

        var journal = await store.GetJournalAsync("i1");
        var lastHundred = await store.GetJournalAfterAsync(journal[^101].Sequence, null, 1000);
        var progress = await store.GetLatestProgressAsync("i1");

        Assert.Equal(kinds, journal.Select(j => j.Kind));
        Assert.Equal(kinds, journal.Select(j => j.Data!["kind"]!.GetValue<string>()));
        Assert.Equal(kinds.TakeLast(100), lastHundred.Select(j => j.Kind));
        Assert.Equal("Progress", Assert.Single(progress).Kind);
    }
}
