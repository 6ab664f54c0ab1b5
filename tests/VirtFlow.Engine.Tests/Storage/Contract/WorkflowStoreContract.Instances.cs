using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Inserting_a_new_instance_returns_version_1_and_reads_back_every_field()
    {
        var instance = Instance("i1") with
        {
            Status = InstanceStatus.Running,
            CorrelationId = "corr-1",
            ParentInstanceId = "parent",
            ParentStepPath = "root/child",
            Output = new JsonObject { ["ok"] = true },
            Fault = "none",
            LeaseUntil = T0.AddMinutes(1),
            LeaseOwner = "engine-a",
        };

        Assert.Equal(1, await InsertAsync(instance));

        var read = await Store.GetInstanceAsync("i1");
        Assert.NotNull(read);
        Assert.Equal(instance with { Version = 1, Input = read.Input, Output = read.Output, State = read.State }, read);
        Assert.True(JsonNode.DeepEquals(instance.Input, read.Input));
        Assert.True(JsonNode.DeepEquals(instance.Output, read.Output));
        Assert.True(JsonNode.DeepEquals(instance.State, read.State));
    }

    [Fact]
    public async Task An_unknown_instance_reads_as_null()
    {
        Assert.Null(await Store.GetInstanceAsync("nope"));
        Assert.Empty(await Store.GetBookmarksAsync("nope"));
        Assert.Empty(await Store.GetJournalAsync("nope"));
    }

    [Fact]
    public async Task Inserting_an_existing_id_throws_ConcurrencyException()
    {
        await InsertAsync(Instance("i1"));

        var e = await Assert.ThrowsAsync<ConcurrencyException>(() => InsertAsync(Instance("i1") with { WorkflowName = "other" }));

        Assert.Equal("i1", e.InstanceId);
        Assert.Equal(0, e.ExpectedVersion);
        Assert.Equal("migrate-disk", (await Store.GetInstanceAsync("i1"))!.WorkflowName);
    }

    [Fact]
    public async Task Updating_with_the_version_read_increments_it()
    {
        await InsertAsync(Instance("i1"));
        var read = (await Store.GetInstanceAsync("i1"))!;

        var v2 = await Store.CommitAsync(new InstanceCommit
        {
            Instance = read with { Status = InstanceStatus.Completed, State = new JsonObject { ["step"] = 2 } },
            ExpectedVersion = read.Version,
        });

        Assert.Equal(2, v2);
        var after = (await Store.GetInstanceAsync("i1"))!;
        Assert.Equal(2, after.Version);
        Assert.Equal(InstanceStatus.Completed, after.Status);
        Assert.Equal(2, (int)after.State["step"]!);
    }

    [Fact]
    public async Task Updating_with_a_stale_version_throws_ConcurrencyException()
    {
        await InsertAsync(Instance("i1"));
        await Store.CommitAsync(new InstanceCommit { Instance = Instance("i1"), ExpectedVersion = 1 });

        var e = await Assert.ThrowsAsync<ConcurrencyException>(() =>
            Store.CommitAsync(new InstanceCommit { Instance = Instance("i1") with { Fault = "late" }, ExpectedVersion = 1 }));

        Assert.Equal(1, e.ExpectedVersion);
        Assert.Null((await Store.GetInstanceAsync("i1"))!.Fault);
        await Assert.ThrowsAsync<ConcurrencyException>(() =>
            Store.CommitAsync(new InstanceCommit { Instance = Instance("missing"), ExpectedVersion = 3 }));
    }

    [Fact]
    public async Task Listing_filters_by_status_name_and_correlation_oldest_first_up_to_the_limit()
    {
        await InsertAsync(Instance("a") with { CreatedAt = T0.AddSeconds(3), CorrelationId = "c1" });
        await InsertAsync(Instance("b") with { CreatedAt = T0.AddSeconds(1), Status = InstanceStatus.Running });
        await InsertAsync(Instance("c", name: "backup") with { CreatedAt = T0.AddSeconds(2), CorrelationId = "c1" });
        await InsertAsync(Instance("d") with { CreatedAt = T0.AddSeconds(4) });

        Assert.Equal(["b", "c", "a", "d"], (await Store.ListInstancesAsync(new InstanceQuery())).Select(i => i.Id));
        Assert.Equal(["a", "d"], (await Store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Suspended, WorkflowName: "migrate-disk"))).Select(i => i.Id));
        Assert.Equal(["c", "a"], (await Store.ListInstancesAsync(new InstanceQuery(CorrelationId: "c1"))).Select(i => i.Id));
        Assert.Equal(["b", "c"], (await Store.ListInstancesAsync(new InstanceQuery(Limit: 2))).Select(i => i.Id));
    }

    [Fact]
    public async Task Orphans_are_running_instances_whose_lease_ran_out()
    {
        await InsertAsync(Instance("expired-late", InstanceStatus.Running) with { LeaseUntil = T0.AddSeconds(-1), LeaseOwner = "dead" });
        await InsertAsync(Instance("expired-early", InstanceStatus.Running) with { LeaseUntil = T0.AddSeconds(-10), LeaseOwner = "dead" });
        await InsertAsync(Instance("unowned", InstanceStatus.Running));
        await InsertAsync(Instance("alive", InstanceStatus.Running) with { LeaseUntil = T0.AddSeconds(30), LeaseOwner = "live" });
        await InsertAsync(Instance("just-now", InstanceStatus.Running) with { LeaseUntil = T0, LeaseOwner = "live" });
        await InsertAsync(Instance("waiting", InstanceStatus.Suspended) with { LeaseUntil = T0.AddSeconds(-5) });
        await InsertAsync(Instance("done", InstanceStatus.Completed) with { LeaseUntil = T0.AddSeconds(-5) });

        Assert.Equal(["unowned", "expired-early", "expired-late"], await Store.FindOrphanedInstancesAsync(T0, 10));
        Assert.Equal(["unowned", "expired-early"], await Store.FindOrphanedInstancesAsync(T0, 2));
        Assert.Equal(["unowned", "expired-early", "expired-late", "just-now"], await Store.FindOrphanedInstancesAsync(T0.AddMilliseconds(1), 10));
    }
}
