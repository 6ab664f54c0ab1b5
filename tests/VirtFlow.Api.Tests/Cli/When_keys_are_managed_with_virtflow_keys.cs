using System.Net;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Cli;

/// <summary>
/// <c>virtflow keys</c> as a real process on the store a real server uses: <c>create</c> prints the key once as one
/// line, the key works on the server, <c>list</c> never shows a key or a hash, <c>revoke</c> makes the server refuse it
/// (within its key cache time), and bad usage names the option.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_keys_are_managed_with_virtflow_keys(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Exit = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task Create_prints_the_key_once_list_hides_it_and_revoke_refuses_it(string kind)
    {
        var store = await ApiStores.CreateAsync(kind, postgres);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false);

        var create = await VirtFlowProcess.RunAsync(Exit, "keys", "create", "--store", store.Spec, "--role", "admin", "--name", "ops-team", "--expires", "90d");
        Assert.True(create.Code == 0, create.Stderr);
        var lines = create.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var key = Assert.Single(lines).Trim();
        Assert.StartsWith("vf_", key, StringComparison.Ordinal);
        Assert.Contains("shown only this once", create.Stderr, StringComparison.Ordinal);

        var client = api.NewClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/keys")).StatusCode);
        var expires = (await api.KeyStore.ListApiKeysAsync()).Single().ExpiresAt!.Value;
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(89.9), TimeSpan.FromDays(90));

        var list = await VirtFlowProcess.RunAsync(Exit, "keys", "list", "--store", store.Spec);
        Assert.True(list.Code == 0, list.Stderr);
        Assert.Contains("ops-team", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("active", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(key, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Hosting.Http.Auth.ApiKeySecrets.Hash(key), list.Stdout, StringComparison.Ordinal);
        var json = await VirtFlowProcess.RunAsync(Exit, "keys", "list", "--store", store.Spec, "--json");
        Assert.DoesNotContain(Hosting.Http.Auth.ApiKeySecrets.Hash(key), json.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"ops-team\"", json.Stdout, StringComparison.Ordinal);

        var revoke = await VirtFlowProcess.RunAsync(Exit, "keys", "revoke", "--store", store.Spec, "ops-team");
        Assert.True(revoke.Code == 0, revoke.Stderr);
        await Eventually.Until(async () => (await client.GetAsync("/api/keys")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(15), "the server refusing the revoked key (key cache 5 s)");
        Assert.Contains("revoked", (await VirtFlowProcess.RunAsync(Exit, "keys", "list", "--store", store.Spec)).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--role", "keys", "create", "--store", "sqlite:STORE", "--role", "boss", "--name", "x")]
    [InlineData("--name", "keys", "create", "--store", "sqlite:STORE", "--role", "viewer")]
    [InlineData("--expires", "keys", "create", "--store", "sqlite:STORE", "--role", "viewer", "--name", "x", "--expires", "soon")]
    [InlineData("--store", "keys", "list")]
    [InlineData("--name", "keys", "create", "--store", "sqlite:STORE", "--role", "viewer", "--name", "two words")]
    public async Task Bad_usage_exits_2_naming_the_option(string option, params string[] args)
    {
        var path = Path.Combine(TestDirs.Create("keys"), "virtflow.db");
        var run = await VirtFlowProcess.RunAsync(Exit, [.. args.Select(a => a.Replace("sqlite:STORE", "sqlite:" + path, StringComparison.Ordinal))]);

        Assert.True(run.Code == 2, $"exit {run.Code}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal("", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(option, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_active_key_of_the_same_name_is_refused()
    {
        var spec = "sqlite:" + Path.Combine(TestDirs.Create("keys"), "virtflow.db");
        Assert.Equal(0, (await VirtFlowProcess.RunAsync(Exit, "keys", "create", "--store", spec, "--role", "viewer", "--name", "dup")).Code);

        var again = await VirtFlowProcess.RunAsync(Exit, "keys", "create", "--store", spec, "--role", "viewer", "--name", "dup");

        Assert.Equal(1, again.Code);
        Assert.Equal("", again.Stdout);
        Assert.Contains("--name: a key named 'dup' exists", again.Stderr, StringComparison.Ordinal);
    }
}
