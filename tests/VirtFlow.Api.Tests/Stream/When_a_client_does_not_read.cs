using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Http.Stream;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>
/// The server's one journal reader never waits for a client: a client that does not read is dropped with a reason
/// when its buffer is full, while a client that reads gets every entry; the dropped one resumes by sequence.
/// </summary>
public sealed class When_a_client_does_not_read
{
    [Fact]
    public async Task It_is_dropped_with_a_reason_and_the_others_get_everything()
    {
        await using var store = new InMemoryWorkflowStore();
        await store.InitializeAsync();
        var options = new LiveStreamOptions { ClientBuffer = 16, Poll = TimeSpan.FromMilliseconds(20) };
        using var services = new ServiceCollection().BuildServiceProvider();
        using var feed = new LiveFeed(store, options, services, NullLogger<LiveFeed>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await feed.StartAsync(cts.Token);
        using var slow = (await feed.SubscribeAsync(null, cts.Token))!;
        using var reader = (await feed.SubscribeAsync(null, cts.Token))!;

        const int Commits = 100;
        var got = new List<long>();
        var ready = new Queue<LiveFrame>();
        for (var v = 0; v < Commits; v++)
        {
            var instance = new WorkflowInstance
            {
                Id = "i", WorkflowName = "w", WorkflowVersion = 1, DefinitionHash = "h", Status = InstanceStatus.Running,
                Input = [], State = [],
            };
            await store.CommitAsync(new InstanceCommit { Instance = instance, ExpectedVersion = v, Journal = [new JournalEntry { InstanceId = "i", Kind = "Log", Message = $"{v}" }] });
            // The reading client keeps up; the other never reads.
            while (ready.Count == 0)
            {
                var batch = await reader.Batches.ReadAsync(cts.Token);
                reader.Read(batch.Count);
                foreach (var e in batch) ready.Enqueue(e);
            }
            got.Add(ready.Dequeue().Seq);
        }

        Assert.Equal(Enumerable.Range(1, Commits).Select(i => (long)i), got);
        Assert.Equal("the client fell behind: 16 events unread", slow.DroppedReason);
        var buffered = new List<LiveFrame>();
        while (slow.Batches.TryRead(out var batch)) buffered.AddRange(batch);
        Assert.Equal(16, buffered.Count);
        Assert.Equal(1, feed.Count);
        // The dropped client resumes after the last event it read: the store has the rest.
        var rest = await ((IJournalReader)store).GetJournalAfterAsync(buffered[^1].Seq, null, 1000, cts.Token);
        Assert.Equal(Enumerable.Range(17, Commits - 16).Select(i => (long)i), rest.Select(j => j.Sequence));
        await feed.StopAsync(CancellationToken.None);
    }
}
