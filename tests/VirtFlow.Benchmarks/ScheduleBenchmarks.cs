using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Schedules;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Schedules;
using VirtFlow.Hosting.Server;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// Issue 15 point 4, the firing latency of schedules on a real <c>virtflow server</c> (Quartz, RabbitMQ, the store): a
/// schedule every second; for each firing, the time from its scheduled time to its instance's start (the instance's
/// <c>createdAt</c>, written in the same commit as its first journal entry). Goal: p99 under 1 s.
/// Options: <c>--firings N</c> (60 per store), <c>--stores sqlite,postgres</c>.
/// </summary>
public static class ScheduleBenchmarks
{
    private const string ScheduleId = "every-second:schedule1";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var firings = VmBench.IntOption(args, "--firings", 60);
        var stores = VmBench.ListOption(args, "--stores", "sqlite,postgres");
        await output.WriteLineAsync("# schedules: scheduled time to instance started");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}; load average at start {VmBench.LoadAverage()} (1/5/15 min, shared machine).  ");
        await output.WriteLineAsync($"One server, a schedule every second (`* * * * * ?`, a one-step workflow), {firings} firings per store; latency = the instance's createdAt − the firing's scheduled time.");
        await output.WriteLineAsync();
        var table = new MarkdownTable("Store", "Firings", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 < 1 s");
        await using var rabbit = await RabbitMqServer.StartAsync();
        await using var postgres = stores.Contains("postgres") ? await PostgresServer.StartAsync() : null;
        foreach (var kind in stores)
        {
            var spec = kind == "postgres" ? "postgres:" + await postgres!.CreateDatabaseAsync("bench_sched") : "sqlite:" + Path.Combine(TestDirs.Create("bench-sched"), "virtflow.db");
            var latencies = await MeasureAsync(rabbit, spec, firings, ct);
            var s = Stats.From(latencies);
            table.Add(kind, s.Count, Ms(s.Median), Ms(s.P90), Ms(s.P99), Ms(s.Max), s.P99 < 1000 ? "yes" : "NO");
        }

        await output.WriteLineAsync(table.ToString());
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Load average at end {VmBench.LoadAverage()}.");
        return 0;
    }

    private static async Task<List<double>> MeasureAsync(RabbitMqServer rabbit, string spec, int firings, CancellationToken ct)
    {
        var dir = TestDirs.Create("bench-sched-wf");
        await File.WriteAllTextAsync(Path.Combine(dir, "every-second.yaml"), """
            name: every-second
            version: 1
            triggers:
              - type: schedule
                cron: "* * * * * ?"
                overlap: allow
            steps:
              - type: log
                with: { message: tick }
            """, ct);
        await using var server = await VirtFlowServer.StartAsync(new VirtFlowServerOptions
        {
            StoreSpec = spec,
            Transport = BusTransport.RabbitMq(rabbit.AmqpUri),
            Workflows = new WorkflowLoader(VirtFlowActivities.CreateRegistry()).LoadDirectory(dir),
        }, ct);
        var store = (IScheduleStore)server.Engine.Store;
        // The first firings warm the process up: measured from the third on.
        var started = DateTimeOffset.UtcNow.AddSeconds(3);
        var latencies = new List<double>();
        await Eventually.Until(async () =>
        {
            var recent = await store.GetFiringsAsync(ScheduleId, firings + 10, ct);
            return recent.Count(f => f.ScheduledTime >= started && f.Outcome == ScheduleFiring.Started) >= firings;
        }, TimeSpan.FromSeconds(firings * 3 + 30), $"{firings} firings");
        foreach (var firing in (await store.GetFiringsAsync(ScheduleId, firings + 10, ct)).Where(f => f.ScheduledTime >= started && f.Outcome == ScheduleFiring.Started).Take(firings))
        {
            var instance = await Eventually.Until(() => server.Engine.GetInstanceAsync(firing.InstanceId!, ct), TimeSpan.FromSeconds(30), $"instance {firing.InstanceId}");
            latencies.Add((instance.CreatedAt - firing.ScheduledTime).TotalMilliseconds);
        }

        return latencies;
    }

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
}
