using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow keys</c>: the HTTP API's keys in the servers' store. <c>create</c> prints the new key once, as one line on
/// stdout (only its SHA-256 is stored); <c>list</c> shows every key's id, name, role and dates, never a key or a hash;
/// <c>revoke</c> refuses a key from then on (servers that cached it refuse it within their key cache time, 5 s by default).
/// </summary>
internal static class KeysCommand
{
    private const string Description =
        "The HTTP API's keys (virtflow server --http), kept hashed in the servers' store (--store sqlite:PATH | postgres:CONNSTRING). "
        + "create prints the key once, one line on stdout: keep it, it cannot be shown again.\n"
        + "exit code: 0 done, 1 the store failed or no such key, 2 bad usage";

    /// <summary>The verb and its actions, each a subcommand, their options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var own = new KeysArguments.Options();
        var keys = new Command("keys", Description);
        var create = new Command("create", "create a key and print it once") { shared.Store, own.Role, own.Name, own.Expires };
        var list = new Command("list", "every key's id, name, role and dates, never a key or a hash") { shared.Store, shared.Json };
        var revoke = new Command("revoke", "refuse a key from then on (servers that cached it refuse it within their key cache time, 5 s by default)");
        CliArguments.AddRequired(revoke, own.Target, "revoke needs the key's NAME or ID");
        revoke.Add(shared.Store);
        foreach (var action in new[] { create, list, revoke })
        {
            VirtFlowCli.SetVerbAction(action, (parsed, stdout, stderr, ct) =>
                RunAsync(KeysArguments.From(action.Name, parsed, shared, own), stdout, stderr, ct));
            keys.Add(action);
        }
        return keys;
    }

    /// <summary>Runs <c>virtflow keys ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["keys", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(KeysArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string spec;
        try
        {
            spec = await RunStore.ResolveAsync(parsed.Store);
            if (spec.Trim().StartsWith("memory:", StringComparison.OrdinalIgnoreCase))
                throw new RunUsageException("--store: keys must live in the servers' store: sqlite:PATH or postgres:CONNSTRING");
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow keys: {RunHost.OneLine(e.Message)} (see virtflow keys --help)");
            return 2;
        }

        IWorkflowStore store;
        try
        {
            store = await StoreFactory.OpenAsync(spec, ct: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"virtflow keys: cannot open the store {RunHost.Redacted(spec)}: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        await using (store)
        {
            var keys = ApiKeyIssuer.KeysOf(store);
            try
            {
                return parsed.Action switch
                {
                    "create" => await CreateAsync(keys, parsed, stdout, stderr, ct),
                    "list" => await ListAsync(keys, parsed.Json, stdout, ct),
                    _ => await RevokeAsync(keys, parsed.Target!, stdout, stderr, ct),
                };
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"virtflow keys: --{e.ParamName ?? "name"}: {RunHost.OneLine(e.Message.Split(" (Parameter", 2)[0])}");
                return 2;
            }
            catch (ApiKeyNameTakenException e)
            {
                await stderr.WriteLineAsync($"virtflow keys: --name: {RunHost.OneLine(e.Message)}");
                return 1;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stderr.WriteLineAsync($"virtflow keys: the store failed: {RunHost.OneLine(e.Message)}");
                return 1;
            }
        }
    }

    private static async Task<int> CreateAsync(IApiKeyStore keys, KeysArguments parsed, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var time = TimeProvider.System;
        var (key, record) = await ApiKeyIssuer.CreateAsync(keys, parsed.Name, parsed.Role, time.GetUtcNow() + parsed.Expires, time, ct);
        await stdout.WriteLineAsync(key);
        await stderr.WriteLineAsync($"virtflow keys: created {record.Id} '{TerminalText.Safe(record.Name)}' ({record.Role}), "
            + (record.ExpiresAt is { } e ? $"expires {Time(e)}" : "never expires") + "; the key above is shown only this once");
        return 0;
    }

    private static async Task<int> ListAsync(IApiKeyStore keys, bool json, TextWriter stdout, CancellationToken ct)
    {
        var all = await keys.ListApiKeysAsync(ct);
        if (json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(all.Select(k => new ApiKeyInfo(k.Id, k.Name, k.Role, k.CreatedAt, k.ExpiresAt, k.RevokedAt)),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            return 0;
        }
        var now = TimeProvider.System.GetUtcNow();
        await stdout.WriteLineAsync($"{"ID",-22} {"NAME",-24} {"ROLE",-8} {"CREATED",-20} {"EXPIRES",-20} STATUS");
        foreach (var k in all)
        {
            var status = k.RevokedAt is { } r ? $"revoked {Time(r)}" : k.IsValidAt(now) ? "active" : "expired";
            await stdout.WriteLineAsync($"{k.Id,-22} {TerminalText.Safe(k.Name),-24} {k.Role,-8} {Time(k.CreatedAt),-20} {(k.ExpiresAt is { } e ? Time(e) : "never"),-20} {status}");
        }
        return 0;
    }

    private static async Task<int> RevokeAsync(IApiKeyStore keys, string target, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var revoked = await keys.RevokeApiKeyAsync(target, TimeProvider.System.GetUtcNow(), ct);
        if (revoked is null)
        {
            await stderr.WriteLineAsync($"virtflow keys: no key with id or active name '{TerminalText.Safe(target)}'");
            return 1;
        }
        await stdout.WriteLineAsync($"revoked {revoked.Id} '{TerminalText.Safe(revoked.Name)}' ({revoked.Role}); servers refuse it within their key cache time (default 5 s)");
        return 0;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
