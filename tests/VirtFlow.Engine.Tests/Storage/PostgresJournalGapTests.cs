using Npgsql;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Postgres;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage;

/// <summary>
/// The journal read by sequence on PostgreSQL, where concurrent commits take numbers before they commit: a reader
/// that resumes from the last number it saw must never skip one that becomes visible later.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class When_reading_the_postgres_journal_by_sequence(PostgresFixture fixture)
{
    [Fact]
    public async Task A_number_still_held_by_an_open_transaction_stops_the_page_until_it_commits()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("gap");
        await using var store = new PostgresWorkflowStore(connectionString);
        await store.InitializeAsync();
        await store.CommitAsync(StoreTestData.Insert(Instance("i0")) with { Journal = [Journal("i0", "InstanceStarted")] });
        var first = Assert.Single(await store.GetJournalAfterAsync(0, null, 100));

        // A slow commit: its transaction has an id and a journal number, and is still open.
        await using var slow = new NpgsqlConnection(connectionString);
        await slow.OpenAsync();
        await using var tx = await slow.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("SELECT pg_current_xact_id(); INSERT INTO journal (instance_id, at, kind) VALUES ('slow', now(), 'Slow')", slow, tx))
            await insert.ExecuteNonQueryAsync();
        await store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Journal = [Journal("i1", "InstanceStarted")] });

        var whileOpen = await store.GetJournalAfterAsync(first.Sequence, null, 100);
        await tx.CommitAsync();
        var afterCommit = await store.GetJournalAfterAsync(first.Sequence, null, 100);

        Assert.Empty(whileOpen);
        Assert.Equal(["slow", "i1"], afterCommit.Select(j => j.InstanceId));
    }

    [Fact]
    public async Task A_number_of_a_rolled_back_commit_is_passed_once_its_transaction_ended()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("gap");
        await using var store = new PostgresWorkflowStore(connectionString);
        await store.InitializeAsync();
        await using var lost = new NpgsqlConnection(connectionString);
        await lost.OpenAsync();
        await using var tx = await lost.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("SELECT pg_current_xact_id(); INSERT INTO journal (instance_id, at, kind) VALUES ('lost', now(), 'Lost')", lost, tx))
            await insert.ExecuteNonQueryAsync();
        await store.CommitAsync(StoreTestData.Insert(Instance("i1")) with { Journal = [Journal("i1", "InstanceStarted")] });

        var whileOpen = await store.GetJournalAfterAsync(0, null, 100);
        await tx.RollbackAsync();
        var afterRollback = await store.GetJournalAfterAsync(0, null, 100);

        Assert.Empty(whileOpen);
        Assert.Equal(["i1"], afterRollback.Select(j => j.InstanceId));
    }

    [Fact]
    public async Task A_reader_following_many_concurrent_writers_sees_every_entry_once_in_order()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("gap");
        await using var store = new PostgresWorkflowStore(connectionString);
        await store.InitializeAsync();
        const int Writers = 8, CommitsEach = 40;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // Two stores, as two servers on one database.
            await using var own = new PostgresWorkflowStore(connectionString);
            var id = $"w{w}";
            await own.CommitAsync(StoreTestData.Insert(Instance(id)) with { Journal = [Journal(id, "InstanceStarted")] });
            for (var v = 1; v < CommitsEach; v++)
                await own.CommitAsync(new InstanceCommit { Instance = Instance(id), ExpectedVersion = v, Journal = [Journal(id, "Step", $"{v}"), Journal(id, "Progress", $"{v}")] });
        })).ToArray();

        var seen = new List<long>();
        var after = 0L;
        var all = Task.WhenAll(writers);
        while (true)
        {
            var done = all.IsCompleted;
            var page = await store.GetJournalAfterAsync(after, null, 50);
            seen.AddRange(page.Select(j => j.Sequence));
            if (page.Count > 0) after = page[^1].Sequence;
            else if (done) break;
        }
        await all;

        var expected = (await store.GetJournalAfterAsync(0, null, 100_000)).Select(j => j.Sequence).ToList();
        Assert.Equal(Writers * (1 + (CommitsEach - 1) * 2), expected.Count);
        Assert.Equal(expected, seen);
    }
}
