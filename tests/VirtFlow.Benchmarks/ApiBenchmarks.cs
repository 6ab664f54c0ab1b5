using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Server;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// Issue 14, the instances API of a real <c>virtflow server</c> (Kestrel, RabbitMQ, PostgreSQL):
/// (list) the latency of <c>GET /api/instances</c> with each filter over 100,000 instances seeded directly in batches
/// (goal p95 under 300 ms); (start) the time from <c>POST /api/instances</c> of copy-disks-pivot to the worker's first QMP
/// command, on a real worker and QEMU, read from the worker's QMP client log (its "-&gt; command" line).
/// Options: <c>--parts list,start</c>, <c>--instances N</c> (100000), <c>--reps N</c> (100 per query; 20 starts), <c>--warmup N</c> (10; 3).
/// </summary>
public static class ApiBenchmarks
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var parts = VmBench.ListOption(args, "--parts", "list,start");
        var instances = VmBench.IntOption(args, "--instances", 100_000);
        await output.WriteLineAsync("# api: the instances API on a real server");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}; load average at start {VmBench.LoadAverage()} (1/5/15 min, shared machine).");
        await output.WriteLineAsync();
        await using var rabbit = await RabbitMqServer.StartAsync();
        await using var postgres = await PostgresServer.StartAsync();
        if (parts.Contains("list"))
            await ListAsync(rabbit, postgres, instances, VmBench.IntOption(args, "--reps", 100), VmBench.IntOption(args, "--warmup", 10), output, ct);
        if (parts.Contains("start"))
            await StartAsync(rabbit, postgres, VmBench.IntOption(args, "--reps", 20), VmBench.IntOption(args, "--warmup", 3), output, ct);
        return 0;
    }

    private static async Task<(VirtFlowServer Server, HttpClient Client)> ServerAsync(RabbitMqServer rabbit, string connectionString, string role, CancellationToken ct)
    {
        var server = await VirtFlowServer.StartAsync(new VirtFlowServerOptions
        {
            StoreSpec = "postgres:" + connectionString,
            Transport = BusTransport.RabbitMq(rabbit.AmqpUri),
            Workflows = new WorkflowLoader(VirtFlowActivities.CreateRegistry()).LoadDirectory(Path.Combine(TestDirs.RepoRoot, "workflows")),
            Http = new VirtFlowHttpOptions { Url = "http://127.0.0.1:0" },
            WorkerIdentity = new() { TrustAnyWorker = true },
        }, ct);
        var (key, _) = await ApiKeyIssuer.CreateAsync(server.Services.GetRequiredService<IApiKeyStore>(), "bench-" + role, role, null, TimeProvider.System);
        var client = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return (server, client);
    }

    // ---- list/filter over N instances ----

    private static readonly string[] Workflows = ["copy-disks-pivot", "point-in-time-copy", "nightly-check", "resize"];
    private static readonly string[] Statuses = ["completed", "completed", "faulted", "cancelled", "suspended", "running"];

    private static async Task ListAsync(RabbitMqServer rabbit, PostgresServer postgres, int count, int reps, int warmup, TextWriter output, CancellationToken ct)
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_list");
        var (server, client) = await ServerAsync(rabbit, connectionString, "viewer", ct);
        await using var _ = server;
        using var __ = client;
        var seeding = Stopwatch.StartNew();
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        await SeedAsync(connectionString, count, t0, ct);
        seeding.Stop();

        var mid = t0.AddSeconds(count / 2);
        var queries = new (string Name, string Query)[]
        {
            ("no filter (newest 50)", ""),
            ("status=faulted", "status=faulted"),
            ("status=running (rare)", "status=running"),
            ("workflow=resize", "workflow=resize"),
            ("vm=vm-123 (50 matches)", "vm=vm-123"),
            ("host=host-7", "host=host-7"),
            ("since/until (1 h window)", $"since={Uri.EscapeDataString(mid.ToString("O"))}&until={Uri.EscapeDataString(mid.AddHours(1).ToString("O"))}"),
            ("host=host-7&status=faulted", "host=host-7&status=faulted"),
            ("vm + host + status", "vm=vm-123&host=host-23&status=completed"),
            ("limit=500", "limit=500"),
            ("page 20 (cursor)", "cursor"),
        };
        var table = new MarkdownTable("Query", "Requests", "Items (last)", "Median ms", "p95 ms", "p99 ms", "Max ms");
        var all = new List<double>();
        foreach (var (name, query) in queries)
        {
            var samples = new List<double>();
            var items = 0;
            for (var rep = -warmup; rep < reps; rep++)
            {
                string url;
                if (query == "cursor")
                {
                    var cursor = await CursorAtPageAsync(client, 19, ct);
                    url = "/api/instances?cursor=" + Uri.EscapeDataString(cursor);
                }
                else
                {
                    url = "/api/instances?" + query;
                }
                var start = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(url, ct);
                var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                var ms = Stats.Micros(start, Stopwatch.GetTimestamp()) / 1000;
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
                items = body!["items"]!.AsArray().Count;
                if (rep >= 0) samples.Add(ms);
            }
            var s = Stats.From(samples);
            all.AddRange(samples);
            table.Add(name, s.Count, items, s.Median, Stats.Percentile([.. samples.Order()], 95), s.P99, s.Max);
        }
        var total = all.Order().ToList();
        await output.WriteLineAsync($"## 1. GET /api/instances over {count:N0} instances on PostgreSQL");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"PostgreSQL {await VersionAsync(connectionString, ct)} (a throwaway local cluster), one virtflow server (Kestrel on loopback, API key as viewer). "
            + $"{count:N0} instances seeded with INSERT ... SELECT FROM generate_series in batches of 10,000 ({seeding.Elapsed.TotalSeconds:0.0} s, then ANALYZE): "
            + $"{Workflows.Length} workflows, 6-way status mix, 2,000 VMs, 50 hosts, one a second over {count / 3600.0:0.0} h. "
            + $"Each query {reps} times after {warmup} warm-up ones, one at a time, timed by the client (request → body read); page size 50 unless said. "
            + "Page 20: the cursor of page 19 is fetched first (not timed), then page 20 is timed.");
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToString());
        await output.WriteLineAsync($"All queries together: p95 {Stats.Percentile(total, 95):0.0} ms, p99 {Stats.Percentile(total, 99):0.0} ms (goal: p95 under 300 ms).");
        await output.WriteLineAsync();
    }

    private static async Task<string> CursorAtPageAsync(HttpClient client, int pages, CancellationToken ct)
    {
        string? cursor = null;
        for (var i = 0; i < pages; i++)
        {
            var url = "/api/instances" + (cursor is null ? "" : "?cursor=" + Uri.EscapeDataString(cursor));
            var page = await client.GetFromJsonAsync<JsonObject>(url, ct);
            cursor = page!["nextCursor"]!.GetValue<string>();
        }
        return cursor!;
    }

    private static async Task SeedAsync(string connectionString, int count, DateTimeOffset t0, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var workflows = string.Join(",", Workflows.Select(w => $"'{w}'"));
        var statuses = string.Join(",", Statuses.Select(s => $"'{s}'"));
        for (var from = 1; from <= count; from += 10_000)
        {
            var to = Math.Min(count, from + 9_999);
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, input, state, created_at, updated_at)
                SELECT 'seed-' || lpad(g::text, 8, '0'), (ARRAY[{workflows}])[g % {Workflows.Length} + 1], 1, 'seed',
                    (ARRAY[{statuses}])[(g / 7) % {Statuses.Length} + 1], 3,
                    jsonb_build_object('vm', 'vm-' || (g % 2000), 'host', 'host-' || (g % 50), 'disks', jsonb_build_array()),
                    jsonb_build_object(), @t0 + g * interval '1 second', @t0 + g * interval '1 second'
                FROM generate_series({from}, {to}) AS g
                """, connection);
            insert.Parameters.AddWithValue("t0", t0);
            await insert.ExecuteNonQueryAsync(ct);
        }
        // 'running' stays rare: only the newest 20 are running
        await using (var few = new NpgsqlCommand("UPDATE instances SET status = 'completed' WHERE status = 'running' AND id < 'seed-' || lpad(@n::text, 8, '0')", connection))
        {
            few.Parameters.AddWithValue("n", count - 140);
            await few.ExecuteNonQueryAsync(ct);
        }
        await using var analyze = new NpgsqlCommand("ANALYZE instances", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> VersionAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    // ---- POST /api/instances → the worker's first QMP command ----

    private static async Task StartAsync(RabbitMqServer rabbit, PostgresServer postgres, int reps, int warmup, TextWriter output, CancellationToken ct)
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_start");
        var (server, client) = await ServerAsync(rabbit, connectionString, "operator", ct);
        await using var _ = server;
        using var __ = client;
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, DiskSize = 16L << 20, PrefillBytes = 1L << 20, StartRunning = true }, ct);
        var commands = new QmpCommandLog();
        var workerOptions = new VirtFlowWorkerOptions
        {
            HostId = "bench-host",
            RabbitMq = rabbit.AmqpUri,
            Logging = b =>
            {
                b.SetMinimumLevel(LogLevel.Debug);
                b.AddProvider(commands);
            },
        };
        workerOptions.Vms.Add(new VmSpec("vm1", vm.QmpSocketPath));
        workerOptions.StorageRoots.Add(vm.Dir);
        await using var worker = await VirtFlowWorkerHost.StartAsync(workerOptions, ct);

        var samples = new List<double>();
        var changes = new List<double>();
        var firstCommands = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var rep = -warmup; rep < reps; rep++)
        {
            var request = new JsonObject
            {
                ["workflow"] = "copy-disks-pivot",
                ["inputs"] = new JsonObject
                {
                    ["host"] = "bench-host",
                    ["vm"] = "vm1",
                    ["disks"] = new JsonArray(new JsonObject { ["device"] = vm.Disks[0].Id, ["target"] = Path.Combine(vm.Dir, $"moved-{rep + warmup}.qcow2") }),
                },
            };
            var mark = commands.Mark();
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsJsonAsync("/api/instances", request, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"start: {(int)response.StatusCode} {body}");
            var (at, command) = await commands.FirstAfterAsync(mark, TimeSpan.FromSeconds(60), ct);
            var (added, _) = await commands.FirstAfterAsync(mark, TimeSpan.FromSeconds(60), ct, c => c == "blockdev-add");
            if (rep >= 0)
            {
                samples.Add(Stats.Micros(start, at) / 1000);
                changes.Add(Stats.Micros(start, added) / 1000);
                firstCommands[command] = firstCommands.GetValueOrDefault(command) + 1;
            }
            var id = body!["id"]!.GetValue<string>();
            await client.PostAsync($"/api/instances/{id}/cancel", null, ct);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            done.CancelAfter(TimeSpan.FromSeconds(60));
            await server.Engine.WaitForCompletionAsync(id, done.Token);
            // the workflow's finally cancels the mirror; the worker's cancel may still be under way in QEMU
            await Eventually.Until(async () => (await VirtFlow.Qmp.QmpQueryCommands.QueryJobsAsync(vm.Monitor, null, ct)).All(j => j.Status == "concluded"), TimeSpan.FromSeconds(60),
                "the cancelled instance's mirror jobs concluded");
            await VmBench.CleanupAsync(vm.Monitor, vm.Dir, ct);
        }
        var s = Stats.From(samples);
        var table = new MarkdownTable("Measure", "Starts", "Median ms", "p90 ms", "p99 ms", "Min ms", "Max ms");
        table.Add("POST /api/instances → worker's first QMP command", s.Count, s.Median, s.P90, s.P99, s.Min, s.Max);
        var c = Stats.From(changes);
        table.Add("POST /api/instances → first blockdev-add (the mirror's target)", c.Count, c.Median, c.P90, c.P99, c.Min, c.Max);
        await output.WriteLineAsync("## 2. POST /api/instances → the worker's first QMP command");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"copy-disks-pivot (1 disk of 16 MiB) started over HTTP on one virtflow server (PostgreSQL, RabbitMQ) with a real `virtflow worker` "
            + $"(VirtFlowWorkerHost, in this process) on a real QEMU {vm.Monitor.Greeting.Version} (TCG). Timed from the client sending the POST to the worker's QMP client "
            + "writing its first command to QEMU after it (the worker's Debug log line \"QMP ...: -> COMMAND\", stamped when it is logged). "
            + $"{reps} starts after {warmup} warm-up ones, one at a time; each is cancelled (mirrors cancelled) and cleaned before the next. "
            + "The first command is the worker's look at the VM's jobs and block nodes before the mirror (BlockView); the first blockdev-add is the first that changes anything. "
            + $"First command seen: {string.Join(", ", firstCommands.Select(p => $"{p.Key} ({p.Value}×)"))}.");
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToString());
    }
}
