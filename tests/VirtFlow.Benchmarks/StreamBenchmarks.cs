using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Server;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// The live stream under load, on a real <c>virtflow server</c> (Kestrel, the engine, a SQLite store, the in-memory bus):
/// <c>--clients N</c> (100) clients on <c>GET /api/stream</c> while instances of a ten-step workflow run, <c>--instances
/// N</c> (200) of them, <c>--parallel N</c> (8) at a time. Measured: for each step completed, the time from the engine's
/// StepCompleted (raised after the commit) to each client's receipt of its journal line (p50/p95/p99 over all clients);
/// and the engine's steps per second without any client, with the clients, and with the clients plus one client that
/// never reads (the engine must not slow down: one reader per server, bounded buffers, a slow client is dropped).
/// </summary>
public static class StreamBenchmarks
{
    private const string Workflow = """
        name: ten-logs
        steps:
          - { id: s1, type: log, with: { message: "1" } }
          - { id: s2, type: log, with: { message: "2" } }
          - { id: s3, type: log, with: { message: "3" } }
          - { id: s4, type: log, with: { message: "4" } }
          - { id: s5, type: log, with: { message: "5" } }
          - { id: s6, type: log, with: { message: "6" } }
          - { id: s7, type: log, with: { message: "7" } }
          - { id: s8, type: log, with: { message: "8" } }
          - { id: s9, type: log, with: { message: "9" } }
          - { id: s10, type: log, with: { message: "10" } }
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var clients = VmBench.IntOption(args, "--clients", 100);
        var instances = VmBench.IntOption(args, "--instances", 200);
        var parallel = VmBench.IntOption(args, "--parallel", 8);
        // The paced row: instances started at this rate (per second), as operators start migrations, not as fast as the engine goes.
        var rate = VmBench.IntOption(args, "--rate", 10);
        // The reader's coalesce window (VirtFlow:Server:Stream:Coalesce), to compare with 0 (a read at every wake).
        var coalesce = Array.IndexOf(args, "--coalesce-ms") is var c and >= 0 && c + 1 < args.Length
            && int.TryParse(args[c + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : 50;
        await output.WriteLineAsync("# stream: live-stream latency with many clients, and the engine's pace with a client that never reads");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s); load average at start {VmBench.LoadAverage()}; "
            + $"{instances} instances of 10 log steps per row, {parallel} at a time; SQLite store, in-memory bus; coalesce window {coalesce} ms.");
        await output.WriteLineAsync();

        var dir = TestDirs.Create("bench-stream");
        await File.WriteAllTextAsync(Path.Combine(dir, "ten-logs.yaml"), Workflow, ct);
        await using var server = await VirtFlowServer.StartAsync(new VirtFlowServerOptions
        {
            StoreSpec = "sqlite:" + Path.Combine(dir, "virtflow.db"),
            Transport = BusTransport.InMemory,
            Workflows = new WorkflowLoader(VirtFlowActivities.CreateRegistry()).LoadDirectory(dir),
            Http = new VirtFlowHttpOptions { Url = "http://127.0.0.1:0", Stream = { Coalesce = TimeSpan.FromMilliseconds(coalesce) } },
        }, ct);
        var key = (await ApiKeyIssuer.CreateAsync(server.Services.GetRequiredService<IApiKeyStore>(), "bench", ApiRoles.Viewer, null, TimeProvider.System)).Key;
        var definition = server.Workflows.Find("ten-logs")!;

        var committed = new ConcurrentDictionary<(string, string), long>();
        server.Engine.EventRaised += e =>
        {
            if (e is StepCompleted s) committed.TryAdd((s.InstanceId, s.StepPath), Stopwatch.GetTimestamp());
        };

        // Where the time goes: a probe on the server's own feed (no HTTP) stamps when each step's line is handed to the
        // clients' buffers; the rest of commit → receipt is the clients' sockets and their own reading.
        var fannedOut = new ConcurrentQueue<(VirtFlow.Hosting.Http.Stream.LiveFrame Frame, long At)>();
        using var probeStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probe = ProbeAsync(server.Services.GetRequiredService<VirtFlow.Hosting.Http.Stream.LiveFeed>(), fannedOut, probeStop.Token);

        var table = new MarkdownTable("clients on the stream", "steps/s (engine)", "commit → receipt: p50 ms", "p95 ms", "p99 ms", "max ms", "commit → server fan-out: p95 ms", "receipts", "clients dropped", "process CPU µs per step", "load after");
        // The process's CPU time (engine, server and clients) per step, from the row's start until every client has it:
        // what the clients cost the two CPUs, less sensitive than the latencies to what else the machine runs.
        double PerStep(TimeSpan start) => (Cpu() - start).TotalMicroseconds / (instances * 10.0);
        var cpu = Cpu();
        table.Add("none", $"{await RunInstancesAsync(server, definition, instances, parallel, ct):0}", "", "", "", "", "", "", "", $"{PerStep(cpu):0}", VmBench.LoadAverage());

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Raw clients (the default) keep and stamp each socket read and parse after the row; --parsing-clients parse
        // every event as they read it (ServerSentEvents, as the CLI's watch does), in the server's process and CPUs.
        var parsing = args.Contains("--parsing-clients");
        // By default the clients run in a process of their own, as real clients do (on the same CPUs here);
        // --clients-in-process keeps them in the server's process, queued in its thread pool behind the engine's work.
        var inProcess = parsing || args.Contains("--clients-in-process");
        var receivers = new List<StreamReceiver>();
        var received = new ConcurrentBag<((string, string) Step, long At)>();
        var droppedParsing = new ConcurrentBag<string>();
        var readers = new List<Task>();
        var connected = new CountdownEvent(clients);
        await using var child = inProcess ? null : await StreamClientsProcess.StartAsync(server.HttpAddress!, key, clients, ct);
        for (var i = 0; i < clients && inProcess; i++)
        {
            if (parsing)
            {
                readers.Add(ReadAsync(server.HttpAddress!, key, received, droppedParsing, connected, cts.Token));
                continue;
            }
            var receiver = new StreamReceiver(8 << 20);
            receivers.Add(receiver);
            readers.Add(ReceiveAsync(server.HttpAddress!, key, receiver, connected, cts.Token));
        }
        if (inProcess) connected.Wait(ct);
        var feed = server.Services.GetRequiredService<VirtFlow.Hosting.Http.Stream.LiveFeed>();
        // A client that falls more than its buffer (10,000 events by default) behind is dropped: its later lines are not received, so
        // the latencies are of the others; the column says how many.
        int DroppedCount() => parsing ? droppedParsing.Count : child?.Dropped ?? receivers.Count(r => r.Dropped);
        var linesPerStep = 0.0;
        async Task MeasureAsync(string label, int pace)
        {
            received.Clear();
            committed.Clear();
            fannedOut.Clear();
            var droppedBefore = DroppedCount();
            foreach (var r in receivers) r.StartRow();
            if (child is not null) await child.StartRowAsync(ct);
            var cpu = Cpu();
            var first = await feed.Reader.GetJournalHeadAsync(ct);
            var steps = await RunInstancesAsync(server, definition, instances, parallel, ct, pace);
            var expected = (long)clients * instances * 10;
            var last = await feed.Reader.GetJournalHeadAsync(ct);
            linesPerStep = (last - first) / (instances * 10.0);
            if (parsing)
            {
                for (var waited = Stopwatch.StartNew(); received.Count < expected && waited.Elapsed < TimeSpan.FromSeconds(30);) await Task.Delay(50, ct);
            }
            else if (child is not null)
            {
                foreach (var receipt in await child.TakeRowAsync(last, ct)) received.Add(receipt);
            }
            else
            {
                // Every client has the row's last journal line (or was dropped), then the kept bytes are parsed.
                try
                {
                    await Task.WhenAll(receivers.Select(r => r.ReachedAsync(last))).WaitAsync(TimeSpan.FromSeconds(30), ct);
                }
                catch (TimeoutException)
                {
                    // counted below: fewer receipts than expected
                }
            }
            var cpuPerStep = PerStep(cpu);
            foreach (var r in receivers)
            {
                foreach (var receipt in r.TakeRow()) received.Add(receipt);
            }
            var latencies = received.Where(r => committed.ContainsKey(r.Step))
                .Select(r => Stats.Micros(committed[r.Step], r.At) / 1000.0).ToList();
            if (latencies.Count == 0)
            {
                // every client dropped (or disconnected) before its first step: said, not a crash
                table.Add(label, $"{steps:0}", "", "", "", "", "", "0", $"{DroppedCount() - droppedBefore}", $"{cpuPerStep:0}", VmBench.LoadAverage());
                return;
            }
            var stats = Stats.From(latencies);
            var fanOut = fannedOut.Select(f => (Step: StepOf(f.Frame), f.At)).Where(f => committed.ContainsKey(f.Step))
                .Select(f => Stats.Micros(committed[f.Step], f.At) / 1000.0).Order().ToList();
            table.Add(label, $"{steps:0}", $"{stats.Median:0.0}", $"{Stats.Percentile(latencies.Order().ToList(), 95):0.0}", $"{stats.P99:0.0}", $"{stats.Max:0.0}",
                fanOut.Count > 0 ? $"{Stats.Percentile(fanOut, 95):0.0}" : "", $"{latencies.Count}", $"{DroppedCount() - droppedBefore}", $"{cpuPerStep:0}", VmBench.LoadAverage());
        }
        await MeasureAsync($"{clients}, instances as fast as the engine goes", 0);
        if (rate > 0) await MeasureAsync($"{clients}, {rate} instances/s started", rate);

        // One more client that never reads its body.
        using var slow = new HttpClient { BaseAddress = server.HttpAddress };
        slow.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var stuck = await slow.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, ct);
        var slowCpu = Cpu();
        var withSlow = await RunInstancesAsync(server, definition, instances, parallel, ct);
        table.Add($"{clients} + 1 that never reads", $"{withSlow:0}", "", "", "", "", "", "", "", $"{PerStep(slowCpu):0}", VmBench.LoadAverage());
        string? dropped = null;
        using (var reading = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            reading.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await foreach (var message in ServerSentEvents.ReadAsync(await stuck.Content.ReadAsStreamAsync(reading.Token), reading.Token))
                {
                    if (message.Event != "dropped") continue;
                    dropped = message.Data;
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                // not dropped within 30 s
            }
        }
        await cts.CancelAsync();
        await probeStop.CancelAsync();
        await Task.WhenAll([.. readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)), probe.ContinueWith(_ => { }, TaskScheduler.Default)]);

        var taken = child?.Taken ?? (receivers.Sum(r => r.Taken.Reads), receivers.Sum(r => r.Taken.Bytes));
        await output.WriteLineAsync(table.ToString());
        await output.WriteLineAsync();
        await output.WriteLineAsync($"The client that never read: {(dropped is null ? "not dropped (its socket buffers held everything)" : "dropped by the server: " + dropped)}.");
        await output.WriteLineAsync();
        await output.WriteLineAsync("commit → receipt: from the engine's StepCompleted event (raised after the commit) to a client's read of that step's "
            + "journal line on /api/stream, over every client and step. The server has one journal reader (woken by its engine, at most once per "
            + "coalesce window, else every 250 ms) that serializes each line once and hands it to every client's bounded buffer without waiting; "
            + "each client writes what its buffer holds and flushes once. "
            + (parsing
                ? "The clients (--parsing-clients) parse every event as they read it (ServerSentEvents, strings, JSON), and stamp it after."
                : "Each client stamps every read of its socket and keeps the bytes; a line's receipt is the stamp of the read that brought "
                    + "its last byte, and the lines are cut and parsed after the row.")
            + $" Journal lines (events to each client) per step: {linesPerStep:0.0}."
            + (parsing ? "" : $" Bytes per client read: {taken.Bytes / (double)Math.Max(1, taken.Reads):0}.")
            + (inProcess
                ? $" The {clients} clients run in the server's process, on the same {Environment.ProcessorCount} CPU(s) as the server and the engine."
                : $" The {clients} clients run in a process of their own (as real clients do), on the same {Environment.ProcessorCount} CPU(s) as the "
                    + "server and the engine; the process CPU column is the server's process only (engine, server, fan-out)."));
        return 0;
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Runs the instances; the engine's steps per second.</summary>
    private static async Task<double> RunInstancesAsync(VirtFlowServer server, WorkflowDefinition definition, int count, int parallel, CancellationToken ct, int rate = 0)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = rate > 0 ? count : parallel, CancellationToken = ct }, async (i, token) =>
        {
            if (rate > 0 && TimeSpan.FromSeconds((double)i / rate) - watch.Elapsed is { } wait && wait > TimeSpan.Zero) await Task.Delay(wait, token);
            var id = await server.Engine.StartAsync(definition, null, null, token);
            await server.Engine.WaitForCompletionAsync(id, token);
        });
        return count * 10 / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Stamps each StepCompleted line when the server's feed hands it to the clients' buffers.</summary>
    private static async Task ProbeAsync(VirtFlow.Hosting.Http.Stream.LiveFeed feed, ConcurrentQueue<(VirtFlow.Hosting.Http.Stream.LiveFrame Frame, long At)> fannedOut, CancellationToken ct)
    {
        using var subscription = await feed.SubscribeAsync(null, ct) ?? throw new InvalidOperationException("the stream refused the probe");
        try
        {
            await foreach (var batch in subscription.Batches.ReadAllAsync(ct))
            {
                // Stamped and kept; parsed after (a probe that parses as it goes falls behind and is dropped).
                var at = Stopwatch.GetTimestamp();
                subscription.Read(batch.Count);
                foreach (var frame in batch)
                {
                    if (frame.Kind == "StepCompleted") fannedOut.Enqueue((frame, at));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
    }

    private static (string, string) StepOf(VirtFlow.Hosting.Http.Stream.LiveFrame frame)
    {
        var text = System.Text.Encoding.UTF8.GetString(frame.Bytes.Span);
        var e = JsonSerializer.Deserialize<LiveEvent>(text[(text.IndexOf("data: ", StringComparison.Ordinal) + 6)..])!;
        return (e.InstanceId, e.Step!);
    }

    internal static async Task ReceiveAsync(Uri server, string key, StreamReceiver receiver, CountdownEvent connected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, ct);
        connected.Signal();
        await receiver.ReadAsync(await response.Content.ReadAsStreamAsync(ct), ct);
    }

    private static async Task ReadAsync(Uri server, string key, ConcurrentBag<((string, string), long)> received, ConcurrentBag<string> dropped, CountdownEvent connected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        try
        {
            using var response = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, ct);
            connected.Signal();
            await foreach (var message in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(ct), ct))
            {
                var at = Stopwatch.GetTimestamp();
                if (message.Event == "dropped") dropped.Add(message.Data);
                if (!message.Data.Contains("\"StepCompleted\"", StringComparison.Ordinal)) continue;
                var e = JsonSerializer.Deserialize<LiveEvent>(message.Data)!;
                received.Add(((e.InstanceId, e.Step!), at));
            }
        }
        catch (OperationCanceledException)
        {
            // done
        }
    }
}
