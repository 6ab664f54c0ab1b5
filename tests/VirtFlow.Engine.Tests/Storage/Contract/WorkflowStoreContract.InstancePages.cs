using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Paging;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    private IInstanceListStore Pages => (IInstanceListStore)Store;

    /// <summary>Inserts an instance created <paramref name="minute"/> minutes after T0 with these inputs.</summary>
    private Task<long> InsertAtAsync(string id, int minute, string? vm = null, string? host = null,
        InstanceStatus status = InstanceStatus.Running, string workflow = "copy-disks-pivot")
    {
        var input = new JsonObject();
        if (vm is not null) input["vm"] = vm;
        if (host is not null) input["host"] = host;
        return InsertAsync(Instance(id, status, workflow) with { Input = input, CreatedAt = T0.AddMinutes(minute), UpdatedAt = T0.AddMinutes(minute) });
    }

    private async Task<List<string>> AllPagesAsync(InstancePageQuery query)
    {
        var ids = new List<string>();
        for (var page = await Pages.ListInstancePageAsync(query); ; page = await Pages.ListInstancePageAsync(query with { After = page.Next }))
        {
            Assert.True(page.Items.Count <= query.Limit);
            ids.AddRange(page.Items.Select(i => i.Id));
            if (page.Next is null) return ids;
        }
    }

    [Fact]
    public async Task A_page_lists_the_newest_first_with_ties_by_id_and_the_cursor_walks_every_instance_once()
    {
        for (var i = 0; i < 7; i++) await InsertAtAsync($"i{i}", minute: i / 2);

        var first = await Pages.ListInstancePageAsync(new InstancePageQuery { Limit = 3 });
        Assert.Equal(["i6", "i5", "i4"], first.Items.Select(i => i.Id));
        Assert.NotNull(first.Next);

        var all = await AllPagesAsync(new InstancePageQuery { Limit = 3 });
        Assert.Equal(["i6", "i5", "i4", "i3", "i2", "i1", "i0"], all);

        var exact = await Pages.ListInstancePageAsync(new InstancePageQuery { Limit = 7 });
        Assert.Equal(7, exact.Items.Count);
        Assert.Null(exact.Next);
    }

    [Fact]
    public async Task An_instance_created_while_paging_neither_shifts_nor_repeats_the_pages_after_the_cursor()
    {
        for (var i = 0; i < 4; i++) await InsertAtAsync($"i{i}", minute: i);
        var first = await Pages.ListInstancePageAsync(new InstancePageQuery { Limit = 2 });

        await InsertAtAsync("newer", minute: 10);
        var second = await Pages.ListInstancePageAsync(new InstancePageQuery { Limit = 2, After = first.Next });

        Assert.Equal(["i3", "i2"], first.Items.Select(i => i.Id));
        Assert.Equal(["i1", "i0"], second.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task Each_filter_narrows_the_list_and_they_combine()
    {
        await InsertAtAsync("a", 0, vm: "web1", host: "h1", status: InstanceStatus.Completed);
        await InsertAtAsync("b", 1, vm: "web2", host: "h1", status: InstanceStatus.Running);
        await InsertAtAsync("c", 2, vm: "web1", host: "h2", status: InstanceStatus.Faulted, workflow: "point-in-time-copy");
        await InsertAtAsync("d", 3, vm: "web1", host: "h1", status: InstanceStatus.Running);

        async Task<string[]> Ids(InstancePageQuery q) => [.. (await Pages.ListInstancePageAsync(q)).Items.Select(i => i.Id)];

        Assert.Equal(["d", "b"], await Ids(new() { Status = InstanceStatus.Running }));
        Assert.Equal(["c"], await Ids(new() { WorkflowName = "point-in-time-copy" }));
        Assert.Equal(["d", "c", "a"], await Ids(new() { Vm = "web1" }));
        Assert.Equal(["d", "b", "a"], await Ids(new() { Host = "h1" }));
        Assert.Equal(["d", "a"], await Ids(new() { Vm = "web1", Host = "h1" }));
        Assert.Equal(["d"], await Ids(new() { Vm = "web1", Host = "h1", Status = InstanceStatus.Running }));
        Assert.Equal(["c", "b"], await Ids(new() { Since = T0.AddMinutes(1), Until = T0.AddMinutes(3) }));
        Assert.Equal(["d", "c"], await Ids(new() { Since = T0.AddMinutes(2) }));
        Assert.Equal(["a"], await Ids(new() { Until = T0.AddMinutes(1) }));
        Assert.Empty(await Ids(new() { Vm = "nope" }));
        Assert.Equal(["c", "a"], await AllPagesAsync(new() { Vm = "web1", Until = T0.AddMinutes(3), Limit = 1 }));
    }

    [Fact]
    public async Task The_summary_carries_vm_and_host_from_string_inputs_only()
    {
        await InsertAtAsync("named", 0, vm: "web1", host: "h1");
        await InsertAsync(Instance("odd") with { Input = new JsonObject { ["vm"] = 42, ["host"] = new JsonObject { ["id"] = "h1" } }, CreatedAt = T0.AddMinutes(1) });

        var page = await Pages.ListInstancePageAsync(new InstancePageQuery());

        var odd = page.Items[0];
        Assert.Equal("odd", odd.Id);
        Assert.Null(odd.Vm);
        Assert.Null(odd.Host);
        var named = page.Items[1];
        Assert.Equal(("web1", "h1", "copy-disks-pivot", InstanceStatus.Running, T0), (named.Vm, named.Host, named.WorkflowName, named.Status, named.CreatedAt));
        Assert.Empty((await Pages.ListInstancePageAsync(new InstancePageQuery { Vm = "42" })).Items);
    }

    [Fact]
    public async Task A_page_size_out_of_range_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Pages.ListInstancePageAsync(new InstancePageQuery { Limit = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Pages.ListInstancePageAsync(new InstancePageQuery { Limit = InstancePageQuery.MaxLimit + 1 }));
    }

    [Fact]
    public async Task A_cursor_round_trips_as_opaque_text_and_garbage_does_not_decode()
    {
        var cursor = new InstanceCursor(T0.AddMilliseconds(5), "id:with:colons");

        Assert.True(InstanceCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
        Assert.False(InstanceCursor.TryDecode("not a cursor!", out _));
        Assert.False(InstanceCursor.TryDecode(Convert.ToBase64String("x:1"u8.ToArray()).TrimEnd('='), out _));
        await Task.CompletedTask;
    }
}
