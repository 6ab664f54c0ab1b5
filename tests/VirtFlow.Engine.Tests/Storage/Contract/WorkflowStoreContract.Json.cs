using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Json_round_trips_nested_objects_unicode_and_numbers()
    {
        var state = JsonNode.Parse("""
            {
              "nested": { "a": { "b": [1, 2, { "c": null }] }, "empty": {}, "list": [] },
              "unicode": "héllo wörld ✓ 日本語 😀 \"quoted\" \\ back / slash \n newline \t tab",
              "escaped": "<script>&amp;'</script>",
              "numbers": { "int": 42, "neg": -7, "big": 9007199254740993, "long": 9223372036854775807,
                           "dec": 3.14159, "small": 1e-7, "exp": 6.02e23, "zero": 0, "fraction": 0.1 },
              "bools": [true, false],
              "z-last": 1, "a-first": 2
            }
            """)!.AsObject();
        var payload = JsonNode.Parse("""[ "array", { "payload": 1.5 }, null, "😀" ]""");
        var instance = Instance("j") with { State = state, Input = new JsonObject { ["deep"] = state.DeepClone() } };
        await InsertAsync(instance);
        await Store.TryAddInboxEventAsync(Event("e1", "k", T0) with { Payload = payload });
        await Store.CommitAsync(new InstanceCommit
        {
            Instance = instance,
            ExpectedVersion = 1,
            Outbox = [Command("j", "c1") with { Payload = state }],
            Journal = [Journal("j", "Progress") with { Data = JsonValue.Create(12.5) }],
            Bookmarks = [Bookmark("j", "b1", key: "k2") with { Data = state }],
        });

        var read = (await Store.GetInstanceAsync("j"))!;
        Assert.True(JsonNode.DeepEquals(state, read.State), read.State.ToJsonString());
        Assert.True(JsonNode.DeepEquals(state, read.Input["deep"]));
        Assert.Equal("héllo wörld ✓ 日本語 😀 \"quoted\" \\ back / slash \n newline \t tab", (string)read.State["unicode"]!);
        Assert.Equal(9007199254740993L, (long)read.State["numbers"]!["big"]!);
        Assert.Equal(long.MaxValue, (long)read.State["numbers"]!["long"]!);
        Assert.Equal(0.1, (double)read.State["numbers"]!["fraction"]!);
        Assert.Equal(6.02e23, (double)read.State["numbers"]!["exp"]!);
        Assert.True(JsonNode.DeepEquals(payload, (await Store.FindInboxEventsAsync("k"))[0].Payload));
        Assert.True(JsonNode.DeepEquals(state, (await Store.GetPendingOutboxAsync(1))[0].Payload));
        Assert.True(JsonNode.DeepEquals(state, (await Store.GetBookmarksAsync("j"))[0].Data));
        Assert.Equal(12.5, (double)(await Store.GetJournalAsync("j"))[0].Data!);
    }

    [Fact]
    public async Task Stored_json_is_a_copy_the_caller_cannot_change_afterwards()
    {
        var instance = Instance("i1");
        await InsertAsync(instance);
        instance.State["step"] = 99;

        var read = (await Store.GetInstanceAsync("i1"))!;
        read.State["step"] = 42;

        Assert.Equal(1, (int)(await Store.GetInstanceAsync("i1"))!.State["step"]!);
    }

    [Fact]
    public async Task Times_come_back_in_utc_to_the_millisecond_and_default_ones_are_the_clock()
    {
        var local = new DateTimeOffset(2030, 1, 1, 14, 0, 0, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        await Store.CommitAsync(StoreTestData.Insert(Instance("t") with { CreatedAt = local, UpdatedAt = default, LeaseUntil = local }));

        var read = (await Store.GetInstanceAsync("t"))!;
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 0, 123, TimeSpan.Zero), read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(read.CreatedAt, read.LeaseUntil);
        Assert.Equal(T0, read.UpdatedAt);
    }
}
