using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

/// <summary>Lock keys (<see cref="WorkflowInstance.LockKey"/>): one Running or Suspended holder per key, on every store.</summary>
public abstract partial class WorkflowStoreContract
{
    private IInstanceLockStore Locks => Assert.IsAssignableFrom<IInstanceLockStore>(Store);

    [Fact]
    public async Task A_second_holder_of_a_lock_key_is_refused_naming_the_first()
    {
        await InsertAsync(Instance("holder", InstanceStatus.Running) with { LockKey = "vm:h1/web1" });

        var refused = await Assert.ThrowsAsync<WorkflowLockedException>(() =>
            InsertAsync(Instance("second", InstanceStatus.Running) with { LockKey = "vm:h1/web1" }));

        Assert.Equal("holder", refused.HolderInstanceId);
        Assert.Equal("vm:h1/web1", refused.LockKey);
        Assert.Equal("second", refused.InstanceId);
        Assert.Contains("lock 'vm:h1/web1' is held by instance holder", refused.Message, StringComparison.Ordinal);
        Assert.Null(await Store.GetInstanceAsync("second"));
        Assert.Equal("holder", await Locks.FindLockHolderAsync("vm:h1/web1"));
        await InsertAsync(Instance("other-vm", InstanceStatus.Running) with { LockKey = "vm:h1/db1" });
        await InsertAsync(Instance("no-lock", InstanceStatus.Running));
    }

    [Theory]
    [InlineData(InstanceStatus.Completed)]
    [InlineData(InstanceStatus.Faulted)]
    [InlineData(InstanceStatus.Cancelled)]
    public async Task Ending_the_holder_however_it_ends_releases_the_key(InstanceStatus end)
    {
        await InsertAsync(Instance("holder", InstanceStatus.Suspended) with { LockKey = "vm:h1/web1" });
        // the engine commits the end with the instance as it read it (its key still set)
        var held = (await Store.GetInstanceAsync("holder"))!;
        Assert.Equal("vm:h1/web1", held.LockKey);
        await Store.CommitAsync(new InstanceCommit { Instance = held with { Status = end }, ExpectedVersion = 1 });

        Assert.Null(await Locks.FindLockHolderAsync("vm:h1/web1"));
        await InsertAsync(Instance("next", InstanceStatus.Running) with { LockKey = "vm:h1/web1" });
        Assert.Equal("next", await Locks.FindLockHolderAsync("vm:h1/web1"));
    }

    [Fact]
    public async Task A_commit_without_a_key_keeps_the_stored_one_and_reviving_an_ended_holder_checks_it_again()
    {
        await InsertAsync(Instance("first", InstanceStatus.Running) with { LockKey = "vm:h1/web1" });
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("first", InstanceStatus.Faulted), ExpectedVersion = 1 });
        Assert.Equal("vm:h1/web1", (await Store.GetInstanceAsync("first"))!.LockKey);
        await InsertAsync(Instance("second", InstanceStatus.Running) with { LockKey = "vm:h1/web1" });

        // a retry of the faulted one would hold the key again: refused while the second holds it
        var refused = await Assert.ThrowsAsync<WorkflowLockedException>(() =>
            Store.CommitAsync(new InstanceCommit { Instance = Instance("first", InstanceStatus.Running), ExpectedVersion = 2 }));
        Assert.Equal("second", refused.HolderInstanceId);
        Assert.Equal("vm:h1/web1", refused.LockKey);
        Assert.Equal(InstanceStatus.Faulted, (await Store.GetInstanceAsync("first"))!.Status);
    }

    [Fact]
    public async Task Of_many_stores_starting_holders_of_one_key_at_once_exactly_one_wins()
    {
        var stores = Enumerable.Range(0, 3).Select(_ => OpenSameStorage(Options)).ToList();
        try
        {
            foreach (var s in stores) await s.InitializeAsync();
            for (var round = 0; round < 5; round++)
            {
                var key = $"vm:h1/race-{round}";
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var attempts = stores.Select((s, i) => Task.Run(async () =>
                {
                    await go.Task;
                    try
                    {
                        await s.CommitAsync(Insert(Instance($"r{round}-{i}", InstanceStatus.Running) with { LockKey = key }));
                        return (Won: true, Holder: (string?)null);
                    }
                    catch (WorkflowLockedException e)
                    {
                        return (Won: false, Holder: e.HolderInstanceId);
                    }
                })).ToList();
                go.SetResult();
                var results = await Task.WhenAll(attempts);

                Assert.Single(results, r => r.Won);
                var winner = await Locks.FindLockHolderAsync(key);
                Assert.All(results.Where(r => !r.Won), r => Assert.Equal(winner, r.Holder));
            }
        }
        finally
        {
            foreach (var s in stores) await s.DisposeAsync();
        }
    }
}
