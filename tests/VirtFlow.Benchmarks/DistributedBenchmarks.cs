using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// Issue 5: the whole copy-disks-pivot run through RabbitMQ, the same run embedded on the in-memory bus, and a direct QMP
/// sequence doing the same disk moves, side by side on one VM in one run (interleaved): time end to end and the pause
/// window (QEMU's STOP → RESUME timestamps); then events per second from a publisher on the bus to resumed instances
/// with 1,000 instances waiting, in-memory bus vs RabbitMQ, SQLite (and PostgreSQL).
/// "Through RabbitMQ" is an <see cref="EmbeddedVirtFlow"/> with <c>Transport = BusTransport.RabbitMq(uri)</c> on a
/// throwaway broker: engine and worker in one process, every command, result and event through the broker.
/// Options: <c>--reps N</c> (20), <c>--warmup N</c> (2), <c>--disks N</c> (2), <c>--instances N</c> (1000),
/// <c>--rounds N</c> (5 per bus and store, the buses taking turns), <c>--stores sqlite,postgres</c>, <c>--parts run,events</c>.
/// </summary>
public static class DistributedBenchmarks
{
    private static readonly string[] Variants = ["direct QMP", "embedded, in-memory bus", "embedded, RabbitMQ"];

    private const string WaitYaml = """
        name: bench-wait-ready
        inputs:
          vm: { type: string, required: true }
        steps:
          - id: wait
            type: vm.waitReady
            with:
              host: local
              vm: ${ inputs.vm }
              jobs: [ j1 ]
              query: false
              timeout: 1h
              stall: { window: 1h }
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var reps = VmBench.IntOption(args, "--reps", 20);
        var warmup = VmBench.IntOption(args, "--warmup", 2);
        var disks = VmBench.IntOption(args, "--disks", 2);
        var instances = VmBench.IntOption(args, "--instances", 1000);
        var rounds = VmBench.IntOption(args, "--rounds", 5);
        var stores = VmBench.ListOption(args, "--stores", "sqlite,postgres");
        var parts = VmBench.ListOption(args, "--parts", "run,events");
        var total = Stopwatch.StartNew();

        await output.WriteLineAsync("# distributed: copy-disks-pivot through RabbitMQ vs embedded vs direct QMP");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}; load average at start {VmBench.LoadAverage()} (1/5/15 min; the machine is shared with other QEMU tests, hence interleaved variants and ratios).");
        await output.WriteLineAsync();

        await using var rabbit = await RabbitMqServer.StartAsync();
        await output.WriteLineAsync($"RabbitMQ: a throwaway local node (started in {rabbit.LastStartupTime.TotalSeconds:0.0} s), MassTransit's RabbitMQ transport; SQLite stores are files under {TestDirs.Root}.");
        await output.WriteLineAsync();

        if (parts.Contains("run"))
        {
            var load = VmBench.LoadAverage().Split(' ')[0];
            var (e2e, windows, phases, qemu) = await RunsAsync(rabbit, disks, reps, warmup, ct);
            load += " → " + VmBench.LoadAverage().Split(' ')[0];
            var directE2e = Stats.From(e2e[0]);
            var directWindow = Stats.From(windows[0]);
            var table = new MarkdownTable("Variant", "Reps", "End to end median ms", "p99 ms", "× direct (median)", "Overhead per workflow ms (median of paired differences)", "Overhead p99 ms", "Pause window median ms", "p99 ms", "Median × direct", "p99 × direct");
            for (var v = 0; v < Variants.Length; v++)
            {
                var t = Stats.From(e2e[v]);
                var w = Stats.From(windows[v]);
                var overhead = v == 0 ? null : Stats.From(e2e[v].Zip(e2e[0], (a, b) => a - b));
                table.Add(Variants[v], t.Count, t.Median, t.P99, VmBench.Ratio(t.Median, directE2e.Median), overhead?.Median, overhead?.P99,
                    w.Median, w.P99, VmBench.Ratio(w.Median, directWindow.Median), VmBench.Ratio(w.P99, directWindow.P99));
            }
            await output.WriteLineAsync($"## 1. One copy-disks-pivot run: {disks} disks, quiesce pause");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"QEMU {qemu}, TCG, VM running; {disks} qcow2 disks of 16 MiB (1 MiB of data each) moved to new qcow2 images per run; {reps} runs per variant after {warmup} warm-up ones, variants taking turns on the same VM (each with a QMP monitor of its own); load (1 min) {load}. "
                + "End to end: the engine's StartAsync → the instance Completed (WaitForCompletionAsync); direct: qemu-img create + blockdev-add + blockdev-mirror per disk → all READY → "
                + "stop → job-complete all → all PENDING → job-finalize all → all CONCLUDED → cont → job-dismiss all + blockdev-del of the old sources (what the workflow does, with nothing durable). "
                + "Overhead = the run's time minus the direct run's of the same repetition. Pause window: QEMU's own STOP → RESUME event timestamps, read on an observer monitor.");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table.ToString());

            var breakdown = new MarkdownTable(["Step (median ms)", .. Variants, .. Variants.Skip(1).Select(v => v + " − direct")]);
            double Median(Dictionary<string, List<double>> p, string phase) =>
                p.TryGetValue(phase, out var list) && list.Count > 0 ? Stats.From(list).Median : double.NaN;
            // vm.pivot holds the guest itself: a variant without quiesce/thaw steps is compared, for the pivot, with direct's stop + switch + cont
            var held = phases.Select(p => double.IsNaN(Median(p, "quiesce")) && double.IsNaN(Median(p, "thaw"))).ToArray();
            var directHeld = Median(phases[0], "quiesce") + Median(phases[0], "pivot") + Median(phases[0], "thaw");
            foreach (var phase in VmBench.Phases)
            {
                var medians = phases.Select(p => Median(p, phase)).ToArray();
                object? Cell(int i) => held[i] && double.IsNaN(medians[i]) ? "in pivot" : medians[i];
                object? Diff(int i)
                {
                    if (held[i] && double.IsNaN(medians[i])) return "";
                    if (held[i] && phase == "pivot") return $"{medians[i] - directHeld:0.0} (vs stop + pivot + cont)";
                    return medians[i] - medians[0];
                }
                breakdown.Add([phase, .. Enumerable.Range(0, medians.Length).Select(Cell), .. Enumerable.Range(1, medians.Length - 1).Select(Diff)]);
            }
            await output.WriteLineAsync("Where the time goes, step by step (medians). Workflow steps: the instance's journal, each step's StepStarted → StepCompleted "
                + "(a command step includes its outbox commit, the bus both ways, the worker and the commit of the result); the rest of the end-to-end time lies between steps. "
                + "Direct: the same phases timed by the caller (mirror = qemu-img create + blockdev-add + blockdev-mirror per disk; wait = until all READY; quiesce = stop; pivot = complete → concluded, plus dismiss and blockdev-del as vm.pivot does; thaw = cont). "
                + "The workflow has no quiesce or thaw step: its vm.pivot holds the guest itself (one PivotJobs with Quiesce), so its pivot row is compared with direct's stop + pivot + cont.");
            await output.WriteLineAsync();
            await output.WriteLineAsync(breakdown.ToString());
        }

        if (parts.Contains("events"))
        {
            var table = new MarkdownTable("Bus", "Store", "Instances waiting", "Rounds", "Events/s (median round)", "Best round", "Worst round", "× in-memory bus (same store)", "Publish → resumed median ms", "p99 ms", "Load (1 min)");
            PostgresServer? postgres = null;
            try
            {
                foreach (var store in stores)
                {
                    if (store == "postgres")
                    {
                        try { postgres ??= await PostgresServer.StartAsync(); }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            await output.WriteLineAsync($"PostgreSQL could not be started ({e.Message}); its rows are missing.");
                            continue;
                        }
                    }
                    // the two buses take turns round by round (memory first, then RabbitMQ first, ...), each round a fresh process-local VirtFlow
                    string[] buses = ["in-memory", "RabbitMQ"];
                    var rates = buses.Select(_ => new List<double>()).ToArray();
                    var latencies = buses.Select(_ => new List<double>()).ToArray();
                    var load = VmBench.LoadAverage().Split(' ')[0];
                    for (var round = 0; round < rounds; round++)
                    {
                        for (var k = 0; k < buses.Length; k++)
                        {
                            var b = (k + round) % buses.Length;
                            var spec = store == "postgres" ? "postgres:" + await CreateDatabaseAsync(postgres!) : null;
                            var transport = buses[b] == "RabbitMQ" ? BusTransport.RabbitMq(rabbit.AmqpUri) : BusTransport.InMemory;
                            var (rate, lat) = await EventsRoundAsync(transport, spec, instances, ct);
                            rates[b].Add(rate);
                            latencies[b].AddRange(lat);
                        }
                    }
                    load += " → " + VmBench.LoadAverage().Split(' ')[0];
                    var memoryRate = Stats.From(rates[0]).Median;
                    for (var b = 0; b < buses.Length; b++)
                    {
                        var r = Stats.From(rates[b]);
                        var l = Stats.From(latencies[b]);
                        table.Add(buses[b], store == "postgres" ? "PostgreSQL (local)" : "SQLite file", instances, rounds, r.Median, r.Max, r.Min, VmBench.Ratio(r.Median, memoryRate), l.Median, l.P99, load);
                    }
                }
            }
            finally
            {
                if (postgres is not null) await postgres.DisposeAsync();
            }
            await output.WriteLineAsync($"## 2. Events per second: worker events → resumed instances, {instances:N0} instances waiting");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Rounds alternate between the buses (in-memory first, then RabbitMQ first, ...). Per round: a fresh embedded VirtFlow (its own store), {instances:N0} instances of a one-step workflow, each in vm.waitReady on its own job (key job:local:VM:j1; query: false, so nothing is sent to a worker); "
                + $"then a publisher on the bus publishes the {instances:N0} JobStatusChanged(ready) events (16 at a time, IBus.Publish: the path of the worker's own event sink) and the clock stops when every instance is Completed "
                + "(the engine's InstanceStatusChanged, raised after the final commit). Events/s = instances / (first publish → last instance completed).");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table.ToString());
        }

        await output.WriteLineAsync("**How to read.** \"× direct\" divides a variant's figure by the direct QMP sequence's (goal for the pause window: ≤ 1.00×; goal for the overhead: < 50 ms per workflow). "
            + "The overhead is what VirtFlow adds to the same QEMU work: durable checkpoints (SQLite commit per step), the outbox and the bus for every command and result, the engine's walk.");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Suite ran {total.Elapsed.TotalSeconds:F0} s; load average at end {VmBench.LoadAverage()}.");
        return 0;
    }

    private static async Task<(List<double>[] E2e, List<double>[] Windows, Dictionary<string, List<double>>[] Phases, string Qemu)> RunsAsync(RabbitMqServer rabbit, int disks, int reps, int warmup, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var directSocket = Path.Combine(TestDirs.Root, $"d-{id}.sock");
        var rabbitSocket = Path.Combine(TestDirs.Root, $"r-{id}.sock");
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions
        {
            Disks = disks, DiskSize = 16L << 20, PrefillBytes = 1L << 20, StartRunning = true,
            ExtraArgs = ["-qmp", $"unix:{directSocket},server=on,wait=off", "-qmp", $"unix:{rabbitSocket},server=on,wait=off"],
        }, ct);
        try
        {
            await using var direct = await QmpClient.ConnectAsync(QmpEndpoint.Unix(directSocket), null, ct);
            await using var memoryHost = await VmBench.StartEmbeddedAsync(vm.QmpSocketPath, null, BusTransport.InMemory, null, ct);
            await using var rabbitHost = await VmBench.StartEmbeddedAsync(rabbitSocket, null, BusTransport.RabbitMq(rabbit.AmqpUri), null, ct);
            var hosts = new[] { memoryHost, rabbitHost };
            var definitions = hosts.Select(VmBench.LoadCopyDisksPivot).ToArray();
            var devices = vm.Disks.Select(d => d.Id).ToList();
            var sizes = vm.Disks.Select(d => (d.Id, d.Size)).ToList();
            var e2e = Variants.Select(_ => new List<double>()).ToArray();
            var windows = Variants.Select(_ => new List<double>()).ToArray();
            var phaseTimes = Variants.Select(_ => new Dictionary<string, List<double>>(StringComparer.Ordinal)).ToArray();
            var n = 0;
            for (var rep = -warmup; rep < reps; rep++)
            {
                var rowE2e = new double[Variants.Length];
                var rowWindow = new double[Variants.Length];
                var rowPhases = new Dictionary<string, double>[Variants.Length];
                for (var k = 0; k < Variants.Length; k++)
                {
                    var v = (k + rep + warmup) % Variants.Length;
                    var tag = $"r{n++}{(char)('a' + v)}";
                    using var probe = new VmBench.PauseProbe(vm.Monitor);
                    // The workers of the other variants, connected to the same VM, send QEMU nothing meanwhile: each variant has it to itself.
                    var quiet = hosts.Where((_, i) => i != v - 1).Select(h => h.Worker.HoldQueries(VmBench.VmName)).ToList();
                    if (v == 0)
                    {
                        var start = Stopwatch.GetTimestamp();
                        var sources = new List<string>();
                        foreach (var d in devices) sources.Add((await direct.FindNodeForDeviceAsync(d, null, ct))!);
                        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
                        var jobs = await VmBench.DirectMirrorAsync(direct, vm.Dir, sizes, tag, ct, phases);
                        await VmBench.DirectSwitchAsync(direct, jobs, pause: true, null, ct, phases);
                        var dismissing = Stopwatch.GetTimestamp();
                        await Task.WhenAll(jobs.Select(j => direct.JobDismissAsync(j, null, ct)).ToArray());
                        foreach (var s in sources) await direct.BlockdevDelAsync(s, null, ct);
                        phases["pivot"] += Stats.Micros(dismissing, Stopwatch.GetTimestamp()) / 1000; // vm.pivot dismisses too
                        rowE2e[v] = Stats.Micros(start, Stopwatch.GetTimestamp()) / 1000;
                        rowPhases[v] = phases;
                    }
                    else
                    {
                        var (instance, ms) = await VmBench.RunCopyAsync(hosts[v - 1], definitions[v - 1], vm.Dir, devices, tag, QuiesceModes.Pause, ct);
                        rowE2e[v] = ms;
                        rowPhases[v] = await VmBench.StepTimesAsync(hosts[v - 1], instance.Id, ct);
                    }
                    rowWindow[v] = await probe.WindowMsAsync();
                    quiet.ForEach(q => q.Dispose());
                    await VmBench.CleanupAsync(vm.Monitor, vm.Dir, ct);
                    await Task.Delay(VmBench.Settle, ct); // the held workers catch up on the events of this turn before the next one
                }
                if (rep < 0) continue;
                for (var v = 0; v < Variants.Length; v++)
                {
                    e2e[v].Add(rowE2e[v]);
                    windows[v].Add(rowWindow[v]);
                    foreach (var (phase, ms) in rowPhases[v])
                        (phaseTimes[v].TryGetValue(phase, out var list) ? list : phaseTimes[v][phase] = []).Add(ms);
                }
            }
            return (e2e, windows, phaseTimes, vm.Monitor.Greeting.Version.ToString());
        }
        finally
        {
            File.Delete(directSocket);
            File.Delete(rabbitSocket);
        }
    }

    private static async Task<string> CreateDatabaseAsync(PostgresServer postgres) => await postgres.CreateDatabaseAsync("bench");

    /// <summary>One round: N instances waiting, N events published, until all completed. Returns events/s and per-event latencies (ms).</summary>
    private static async Task<(double Rate, List<double> Latencies)> EventsRoundAsync(BusTransport transport, string? storeSpec, int instances, CancellationToken ct)
    {
        await using var host = await VmBench.StartEmbeddedAsync(null, null, transport, storeSpec, ct);
        var definition = VmBench.Define(host, WaitYaml, "bench-wait-ready.yaml");
        var run = Guid.NewGuid().ToString("N")[..6];
        string Vm(int i) => $"w{run}-{i}";
        string InstanceId(int i) => $"bench-{run}-{i}";
        var completed = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEvent(EngineEvent e)
        {
            if (e is InstanceStatusChanged { Status: InstanceStatus.Completed } c && c.InstanceId.StartsWith($"bench-{run}-", StringComparison.Ordinal)
                && completed.TryAdd(c.InstanceId, Stopwatch.GetTimestamp()) && completed.Count >= instances)
                allDone.TrySetResult();
        }
        host.Engine.EventRaised += OnEvent;
        try
        {
            // N waiting instances, 4 callers.
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < instances)
                    await host.Engine.StartAsync(definition, new JsonObject { ["vm"] = Vm(i) }, new StartOptions { InstanceId = InstanceId(i) }, ct);
            }, ct)));
            var waiting = await host.Store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Suspended, Limit: instances + 1), ct);
            if (waiting.Count < instances) throw new InvalidOperationException($"only {waiting.Count} of {instances} instances are waiting");

            var published = new long[instances];
            var start = Stopwatch.GetTimestamp();
            var cursor = -1;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref cursor)) < instances)
                {
                    var e = new JobStatusChanged
                    {
                        EventId = $"local/{Vm(i)}/job/j1/ready", HostId = "local", At = DateTimeOffset.UtcNow,
                        Vm = Vm(i), JobId = "j1", Status = "ready", JobType = "mirror", Offset = 1 << 20, Length = 1 << 20,
                    };
                    published[i] = Stopwatch.GetTimestamp();
                    await host.Bus.Publish(e, ct);
                }
            }, ct)));
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(TimeSpan.FromMinutes(3));
            await allDone.Task.WaitAsync(limit.Token);
            var end = completed.Values.Max();
            var latencies = Enumerable.Range(0, instances).Select(i => Stats.Micros(published[i], completed[InstanceId(i)]) / 1000).ToList();
            return (instances / (Stats.Micros(start, end) / 1_000_000), latencies);
        }
        finally
        {
            host.Engine.EventRaised -= OnEvent;
        }
    }
}
