using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task A_long_journal_of_many_commits_reads_back_entry_for_entry_whole_and_after_any_sequence()
    {
        // 300 commits of two entries each, with and without a step, message and data, some non-ASCII, one kind made up:
        // some tens of KiB of journal (the in-memory store packs it into chunks of a few KiB)
        var written = new List<JournalEntry>();
        await Store.CommitAsync(StoreTestData.Insert(Instance("long")));
        await Store.CommitAsync(StoreTestData.Insert(Instance("other")));
        for (var n = 0; n < 300; n++)
        {
            JournalEntry[] entries =
            [
                Journal("long", "Progress", $"copying vd{(char)('a' + n % 3)}: {n} % — ünïcode") with
                {
                    StepPath = $"disks[{n % 7}]/copy",
                    At = T0.AddMilliseconds(n),
                    Data = new JsonObject { ["device"] = $"vd{(char)('a' + n % 3)}", ["percent"] = n, ["note"] = new string('x', n % 50) },
                },
                Journal("long", n % 2 == 0 ? "StepCompleted" : $"Custom{n % 5}") with { StepPath = null, Message = null, Data = null, At = T0.AddMilliseconds(n) },
            ];
            written.AddRange(entries);
            await Store.CommitAsync(new InstanceCommit { Instance = Instance("long"), ExpectedVersion = n + 1, Journal = entries });
            if (n % 100 == 0) await Store.CommitAsync(new InstanceCommit { Instance = Instance("other"), ExpectedVersion = n / 100 + 1, Journal = [Journal("other", "Log", $"between {n}")] });
        }
        var reader = Assert.IsAssignableFrom<IJournalReader>(Store);

        var journal = await Store.GetJournalAsync("long");
        var middle = journal[377].Sequence;
        var after = await reader.GetJournalAfterAsync(middle, "long", 1000);
        var pagedAcrossInstances = new List<JournalEntry>();
        for (var from = middle; ;)
        {
            var page = await reader.GetJournalAfterAsync(from, null, 64);
            if (page.Count == 0) break;
            pagedAcrossInstances.AddRange(page);
            from = page[^1].Sequence;
        }

        // (PostgreSQL's jsonb keeps an object's members in an order of its own)
        static string Data(JsonNode? data) => data is JsonObject o
            ? string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.ToJsonString()}"))
            : data?.ToJsonString() ?? "";
        string Text(JournalEntry j) => $"{j.InstanceId}|{j.Kind}|{j.StepPath}|{j.Message}|{j.At:O}|{Data(j.Data)}";
        Assert.Equal(written.Select(Text), journal.Select(Text));
        Assert.Equal(journal.Select(j => j.Sequence).Order(), journal.Select(j => j.Sequence));
        Assert.Equal(journal.Skip(378).Select(Text), after.Select(Text));
        Assert.Equal(journal.Skip(378).Select(Text), pagedAcrossInstances.Where(j => j.InstanceId == "long").Select(Text));
        Assert.Equal(["between 200"], pagedAcrossInstances.Where(j => j.InstanceId == "other").Select(j => j.Message));
        Assert.Equal(pagedAcrossInstances.Select(j => j.Sequence).Order(), pagedAcrossInstances.Select(j => j.Sequence));
    }

    [Fact]
    public async Task A_commit_with_a_journal_entry_of_another_instance_is_refused_and_changes_nothing()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1"),
            ExpectedVersion = 1,
            Journal = [Journal("i1", "StepStarted"), Journal("i2", "StepStarted")],
        }));

        Assert.Contains("belongs to instance i2", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Store.GetInstanceAsync("i1"))!.Version);
        Assert.Empty(await Store.GetJournalAsync("i1"));
    }

    [Fact]
    public async Task A_commit_with_a_journal_entry_without_a_kind_is_refused_and_changes_nothing()
    {
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")));
        var reader = Assert.IsAssignableFrom<IJournalReader>(Store);
        var head = await reader.GetJournalHeadAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Store.CommitAsync(new InstanceCommit
        {
            Instance = Instance("i1", InstanceStatus.Completed),
            ExpectedVersion = 1,
            Journal = [new JournalEntry { InstanceId = "i1", Kind = null! }],
        }));

        Assert.Contains("has no kind", refused.Message, StringComparison.Ordinal);
        var kept = (await Store.GetInstanceAsync("i1"))!;
        Assert.Equal((1L, InstanceStatus.Suspended), (kept.Version, kept.Status));
        Assert.Equal(head, await reader.GetJournalHeadAsync());
        Assert.Empty(await Store.GetJournalAsync("i1"));
    }

    [Fact]
    public async Task A_journal_entry_keeps_an_empty_step_path_and_message_apart_from_none_and_a_large_entry_whole()
    {
        var large = string.Concat(Enumerable.Range(0, 2000).Select(n => $"line {n}; "));
        await Store.CommitAsync(StoreTestData.Insert(Instance("i1")) with
        {
            Journal =
            [
                Journal("i1", "Log", "") with { StepPath = "", Data = null },
                Journal("i1", "Log") with { StepPath = null, Message = null, Data = null },
                Journal("i1", "Log", large) with { Data = new JsonObject { ["text"] = large } },
                Journal("i1", "Log", "after the large one"),
            ],
        });
        var reader = Assert.IsAssignableFrom<IJournalReader>(Store);

        var journal = await Store.GetJournalAsync("i1");
        var afterEach = new List<IReadOnlyList<JournalEntry>>();
        foreach (var entry in journal) afterEach.Add(await reader.GetJournalAfterAsync(entry.Sequence - 1, "i1", 10));

        Assert.Equal(("", ""), (journal[0].StepPath, journal[0].Message));
        Assert.Equal(((string?)null, (string?)null), (journal[1].StepPath, journal[1].Message));
        Assert.Equal(large, journal[2].Message);
        Assert.Equal(large, journal[2].Data!["text"]!.GetValue<string>());
        Assert.Equal("after the large one", journal[3].Message);
        for (var i = 0; i < journal.Count; i++)
            Assert.Equal(journal.Skip(i).Select(j => (j.Sequence, j.Message)), afterEach[i].Select(j => (j.Sequence, j.Message)));
    }
}
