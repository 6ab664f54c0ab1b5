using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// QMP client costs on a real VM (q35, TCG, stopped with -S): round trip of <c>query-status</c> (median, p99) and
/// commands per second with 1 and 16 concurrent callers, plus a raw-socket baseline (no client) for the client's overhead.
/// Options: <c>--calls N</c> (measured calls per row, default 2000), <c>--warmup N</c> (default 500).
/// </summary>
public static class QmpBenchmarks
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var calls = IntOption(args, "--calls", 2000);
        var warmup = IntOption(args, "--warmup", 500);
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1 }, ct);
        await output.WriteLineAsync($"QEMU {vm.Monitor.Greeting.Version}, {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}, TCG, VM stopped (-S); {calls} measured calls per row after {warmup} warm-up calls");
        await output.WriteLineAsync();

        var latency = new MarkdownTable("Measurement", "Calls", "Median µs", "p99 µs", "Mean µs");
        var throughput = new MarkdownTable("Measurement", "Callers", "Calls", "Seconds", "Commands/s");

        await using (var client = await vm.ConnectAsync(cancellationToken: ct))
        {
            for (var i = 0; i < warmup; i++) await client.ExecuteAsync("query-status", cancellationToken: ct);

            latency.AddStats(await RoundTripsAsync(client, calls, ct), "QmpClient query-status, 1 caller");
            latency.AddStats(await ConcurrentRoundTripsAsync(client, 16, calls, ct), "QmpClient query-status, 16 callers (per call)");

            foreach (var callers in new[] { 1, 16 })
            {
                var total = Math.Max(calls * 2, callers * 100);
                var seconds = await ThroughputAsync(client, callers, total, ct);
                throughput.Add("QmpClient query-status", callers, total, seconds, total / seconds);
            }
        }

        var raw = await RawRoundTripsAsync(vm.QmpSocketPath, warmup, calls, ct);
        latency.AddStats(raw, "raw socket query-status (no client, baseline)");

        await output.WriteLineAsync(latency.ToString());
        await output.WriteLineAsync(throughput.ToString());
        return 0;
    }

    private static async Task<Stats> RoundTripsAsync(QmpClient client, int calls, CancellationToken ct)
    {
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.ExecuteAsync("query-status", cancellationToken: ct);
            samples[i] = Stats.Micros(start, Stopwatch.GetTimestamp());
        }
        return Stats.From(samples);
    }

    private static async Task<Stats> ConcurrentRoundTripsAsync(QmpClient client, int callers, int calls, CancellationToken ct)
    {
        var perCaller = calls / callers;
        var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var samples = new double[perCaller];
            for (var i = 0; i < perCaller; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await client.ExecuteAsync("query-status", cancellationToken: ct);
                samples[i] = Stats.Micros(start, Stopwatch.GetTimestamp());
            }
            return samples;
        }, ct)));
        return Stats.From(results.SelectMany(s => s));
    }

    private static async Task<double> ThroughputAsync(QmpClient client, int callers, int total, CancellationToken ct)
    {
        var remaining = total;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
                await client.ExecuteAsync("query-status", cancellationToken: ct);
        }, ct)));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The floor: write a command and read lines until its reply, on a bare socket.</summary>
    private static async Task<Stats> RawRoundTripsAsync(string socketPath, int warmup, int calls, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var command = Encoding.UTF8.GetBytes("{\"execute\":\"query-status\",\"id\":1}\n");
        await reader.ReadLineAsync(ct);   // greeting
        await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"execute\":\"qmp_capabilities\"}\n"), ct);
        await reader.ReadLineAsync(ct);

        async Task OneAsync()
        {
            await stream.WriteAsync(command, ct);
            while (await reader.ReadLineAsync(ct) is { } line && !line.Contains("\"return\"", StringComparison.Ordinal)) { }
        }
        for (var i = 0; i < warmup; i++) await OneAsync();
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await OneAsync();
            samples[i] = Stats.Micros(start, Stopwatch.GetTimestamp());
        }
        return Stats.From(samples);
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }
}
