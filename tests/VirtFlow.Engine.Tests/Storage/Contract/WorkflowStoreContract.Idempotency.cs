using VirtFlow.Engine.Storage.Idempotency;
using static VirtFlow.Engine.Tests.Storage.StoreTestData;

namespace VirtFlow.Engine.Tests.Storage.Contract;

public abstract partial class WorkflowStoreContract
{
    private IIdempotencyStore Keys => (IIdempotencyStore)Store;

    private static IdempotencyRecord KeyRecord(string instanceId, string hash = "h1", string caller = "ops", string key = "k1") =>
        new() { Caller = caller, Key = key, RequestHash = hash, InstanceId = instanceId, ExpiresAt = T0.AddHours(24) };

    [Fact]
    public async Task The_first_claim_of_a_key_holds_it_and_a_repeat_gets_the_first_instance()
    {
        var first = await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i1"));
        var repeat = await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i2", hash: "h2"));

        Assert.True(first.Claimed);
        Assert.False(repeat.Claimed);
        Assert.Equal(("i1", "h1", T0, T0.AddHours(24)), (repeat.Held.InstanceId, repeat.Held.RequestHash, repeat.Held.CreatedAt, repeat.Held.ExpiresAt));
    }

    [Fact]
    public async Task A_key_is_per_caller()
    {
        await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i1", caller: "alice"));

        var other = await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i2", caller: "bob"));

        Assert.True(other.Claimed);
        Assert.Equal("i2", other.Held.InstanceId);
    }

    [Fact]
    public async Task An_expired_key_is_claimed_anew()
    {
        await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i1"));
        Clock.Advance(TimeSpan.FromHours(24));

        var again = await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i2") with { ExpiresAt = T0.AddHours(48) });

        Assert.True(again.Claimed);
        Assert.Equal("i2", again.Held.InstanceId);
    }

    [Fact]
    public async Task A_released_key_can_be_claimed_again_but_only_its_own_instance_releases_it()
    {
        await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i1"));
        await Keys.ReleaseIdempotencyKeyAsync("ops", "k1", "other");
        Assert.False((await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i2"))).Claimed);

        await Keys.ReleaseIdempotencyKeyAsync("ops", "k1", "i1");

        Assert.True((await Keys.ClaimIdempotencyKeyAsync(KeyRecord("i3"))).Claimed);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_from_two_store_objects_agree_on_one_instance()
    {
        await using var other = OpenSameStorage(Options);
        await other.InitializeAsync();
        var stores = new[] { Keys, (IIdempotencyStore)other };

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => stores[i % 2].ClaimIdempotencyKeyAsync(KeyRecord($"i{i}")))));

        Assert.Single(claims, c => c.Claimed);
        var winner = claims.Single(c => c.Claimed).Held.InstanceId;
        Assert.All(claims, c => Assert.Equal(winner, c.Held.InstanceId));
    }
}
