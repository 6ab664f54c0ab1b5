using VirtFlow.Engine.Storage.Idempotency;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    [Fact]
    public async Task Expired_idempotency_keys_are_purged_a_batch_at_a_time_and_live_ones_are_kept()
    {
        var purge = Assert.IsAssignableFrom<IIdempotencyPurge>(Store);
        for (var i = 0; i < 5; i++)
            await Keys.ClaimIdempotencyKeyAsync(KeyRecord($"old{i}", key: $"old{i}") with { ExpiresAt = T0.AddHours(1) });
        await Keys.ClaimIdempotencyKeyAsync(KeyRecord("live", key: "live") with { ExpiresAt = T0.AddHours(3) });
        Assert.Equal(0, await purge.PurgeExpiredIdempotencyKeysAsync(100));

        Clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(3, await purge.PurgeExpiredIdempotencyKeysAsync(3));
        Assert.Equal(2, await purge.PurgeExpiredIdempotencyKeysAsync(3));
        Assert.Equal(0, await purge.PurgeExpiredIdempotencyKeysAsync(3));
        // The live key still names its instance; a purged one is claimed anew.
        Assert.Equal("live", (await Keys.ClaimIdempotencyKeyAsync(KeyRecord("other", key: "live"))).Held.InstanceId);
        Assert.True((await Keys.ClaimIdempotencyKeyAsync(KeyRecord("new", key: "old0") with { ExpiresAt = T0.AddHours(5) })).Claimed);
    }
}
