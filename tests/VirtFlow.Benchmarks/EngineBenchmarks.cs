using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace VirtFlow.Benchmarks;

/// <summary>
/// VirtFlow's workflow engine against WorkflowCore 3.22 (in-memory, default single-node config), side by side in
/// one process and one run:
/// <list type="number">
/// <item>throughput of a ten-step workflow (ten trivial steps, one expression each), N instances with the same
/// bounded number of callers, VirtFlow on the in-memory and on the SQLite store; engines interleaved in rounds;</item>
/// <item>resume latency with many instances waiting, each on its own event key: publish → instance completed;</item>
/// <item>managed heap per waiting instance (forced full GC before and after creating them);</item>
/// <item>where VirtFlow's time goes (store, expressions, engine) for the ten-step workflow, one caller.</item>
/// </list>
/// Options: <c>--instances N</c> (2000), <c>--warmup N</c> (200), <c>--callers N</c> (4), <c>--rounds N</c> (4),
/// <c>--waiting N</c> (10000), <c>--resumes N</c> (500), <c>--profile N</c> (400 instances per store in table 4),
/// <c>--parts 1,2,4</c> (tables to run; 2 gives 2 and 3),
/// <c>--engines wc,wc-direct,memory,sqlite</c> (ratios are to the first two when present).
/// </summary>
public static class EngineBenchmarks
{
    private const int Steps = 10;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var instances = IntOption(args, "--instances", 2000);
        var warmup = IntOption(args, "--warmup", 200);
        var callers = IntOption(args, "--callers", 4);
        var rounds = IntOption(args, "--rounds", 4);
        var waiting = IntOption(args, "--waiting", 10_000);
        var resumes = Math.Min(IntOption(args, "--resumes", 500), waiting);
        var profile = IntOption(args, "--profile", 400);
        var engines = ListOption(args, "--engines", "wc,wc-direct,memory,sqlite");
        var parts = ListOption(args, "--parts", "1,2,4");
        var chunk = Math.Max(1, instances / rounds);
        instances = chunk * rounds;
        var total = Stopwatch.StartNew();
        var failures = 0;

        await output.WriteLineAsync("# engine: VirtFlow vs WorkflowCore 3.22");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{Environment.ProcessorCount} CPU(s), .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; load average at start {LoadAverage()} (1/5/15 min: other work shares this machine)  ");
        await using (var probe = await WorkflowCoreSubject.CreateAsync(direct: false, ct))
            await output.WriteLineAsync($"WorkflowCore as configured by AddWorkflow(): {probe.DescribeOptions()}");
        await output.WriteLineAsync();

        // 1. throughput: every engine alive, measured in interleaved rounds so that load from other work hits each alike
        if (parts.Contains("1"))
        {
            var subjects = await CreateSubjectsAsync(engines, ct);
            try
            {
                var seconds = subjects.Select(_ => new List<double>()).ToArray();
                var cpu = new double[subjects.Count];
                var allocated = new double[subjects.Count];
                foreach (var subject in subjects) await RunManyAsync(n => subject.RunTenStepsAsync(n, ct), 0, warmup, callers, ct);
                await SettleAsync(ct);
                var load = LoadAverage(first: true);
                for (var round = 0; round < rounds; round++)
                {
                    for (var i = 0; i < subjects.Count; i++)
                    {
                        // each turn ends with a full collection (finalizers included) on its own clock, so that no engine's
                        // garbage is collected on another's time (WorkflowCore's compiled mappings leave much to finalize)
                        var cpuBefore = CpuSeconds();
                        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                        var watch = Stopwatch.StartNew();
                        await RunManyAsync(n => subjects[i].RunTenStepsAsync(n, ct), warmup + round * chunk, chunk, callers, ct);
                        allocated[i] += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                        Collect();
                        seconds[i].Add(watch.Elapsed.TotalSeconds);
                        cpu[i] += CpuSeconds() - cpuBefore;
                    }
                }
                load += " → " + LoadAverage(first: true);

                var rates = seconds.Select(s => instances / s.Sum()).ToArray();
                var table = new MarkdownTable(["Engine", "Seconds", "Instances/s", "Steps/s", "Rounds (instances/s)", .. RefHeaders(subjects, "Speed"), "CPU µs per step", .. RefHeaders(subjects, "CPU"), "KiB allocated per instance", "Wrong results"]);
                for (var i = 0; i < subjects.Count; i++)
                {
                    var wrong = await subjects[i].CountWrongTenStepsAsync(ct);
                    failures += wrong;
                    table.Add([subjects[i].Name, seconds[i].Sum(), rates[i], rates[i] * Steps, $"{chunk / seconds[i].Max():F0}–{chunk / seconds[i].Min():F0}",
                        .. RefRatios(subjects, rates, i), cpu[i] * 1_000_000 / (instances * Steps), .. RefRatios(subjects, cpu, i), allocated[i] / 1024 / instances, wrong]);
                }
                await output.WriteLineAsync($"## 1. Throughput: {Steps} sequential trivial steps per instance");
                await output.WriteLineAsync();
                await output.WriteLineAsync($"{instances:N0} instances per engine after {warmup} warm-up ones, {callers} concurrent callers, in {rounds} rounds of {chunk} taking turns between the engines; load (1 min) {load}.");
                await output.WriteLineAsync();
                await output.WriteLineAsync(table.ToString());
            }
            finally
            {
                foreach (var subject in subjects) await subject.DisposeAsync();
            }
        }

        // 2 and 3: many waiting instances. One engine alive at a time: WorkflowCore's work trailing a resume (its final
        // persist, index queue, the garbage of its compiled mappings) slowed an engine resumed right after it.
        if (parts.Contains("2"))
        {
            var chosen = Shuffled(waiting, new Random(42)).Take(resumes).ToArray();
            var rows = new List<(string Name, Stats Latency, double Cpu, double CreateSeconds, long Heap, string? Outside, string Load)>();
            string? anatomy = null;
            foreach (var key in engines)
            {
                await using var subject = await CreateSubjectAsync(key, ct);
                // warm the waiting and resuming paths on instances outside the measured range
                await RunManyAsync(n => subject.StartWaitingAsync(n, ct), waiting, 20, callers, ct);
                await subject.WaitUntilWaitingAsync(20, ct);
                for (var n = waiting; n < waiting + 20; n++) await subject.ResumeAsync(n, ct);
                await SettleAsync(ct);

                var load = LoadAverage(first: true);
                var before = Collect();
                var watch = Stopwatch.StartNew();
                await RunManyAsync(n => subject.StartWaitingAsync(n, ct), 0, waiting, callers, ct);
                await subject.WaitUntilWaitingAsync(waiting, ct);
                var createSeconds = watch.Elapsed.TotalSeconds;
                var heap = Collect() - before;
                if (subject is EngineVirtFlowSubject virtFlow) anatomy ??= await virtFlow.DescribeWaitingAsync(chosen[0], ct);

                var samples = new double[chosen.Length];
                var cpuBefore = CpuSeconds();
                for (var i = 0; i < chosen.Length; i++) samples[i] = await subject.ResumeAsync(chosen[i], ct);
                Collect(); // its garbage on its own clock
                var cpu = CpuSeconds() - cpuBefore;
                rows.Add((subject.Name, Stats.From(samples), cpu, createSeconds, heap, subject.StorageNote(), load + " → " + LoadAverage(first: true)));
            }

            var names = engines.ToList();
            string[] Refs(string what) => RefHeaders(names, what);
            var medians = rows.Select(r => r.Latency.Median).ToArray();
            var p99s = rows.Select(r => r.Latency.P99).ToArray();
            var cpus = rows.Select(r => r.Cpu).ToArray();
            var table2 = new MarkdownTable(["Engine", "Median µs", "p99 µs", "Mean µs", "Max µs", .. Refs("Median"), .. Refs("p99"), "CPU µs per resume", .. Refs("CPU"), "Load (1 min)"]);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                table2.Add([r.Name, r.Latency.Median, r.Latency.P99, r.Latency.Mean, r.Latency.Max, .. RefRatios(names, medians, i), .. RefRatios(names, p99s, i),
                    r.Cpu * 1_000_000 / chosen.Length, .. RefRatios(names, cpus, i), r.Load]);
            }
            await output.WriteLineAsync($"## 2. Resume latency: event published → instance completed, {waiting:N0} instances waiting");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Each engine in turn holds {waiting:N0} instances, each waiting on its own event key; {chosen.Length} random ones are resumed one at a time (the same ones on every engine).");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table2.ToString());

            var heaps = rows.Select(r => (double)r.Heap).ToArray();
            var table3 = new MarkdownTable(["Engine", "Heap growth MiB", "Bytes per waiting instance", .. Refs("Bytes"), "Created in s", "Created/s", "Outside the managed heap"]);
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                table3.Add([r.Name, r.Heap / 1024.0 / 1024.0, r.Heap / waiting, .. RefRatios(names, heaps, i), r.CreateSeconds, waiting / r.CreateSeconds, r.Outside ?? ""]);
            }
            await output.WriteLineAsync($"## 3. Memory per waiting instance");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Managed heap after forced full collections, before and after creating the {waiting:N0} waiting instances of table 2 ({callers} concurrent callers).");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table3.ToString());
            if (anatomy is not null) await output.WriteLineAsync($"One VirtFlow waiting instance in its store: {anatomy}.");
            await output.WriteLineAsync();
        }

        // 4. where VirtFlow's time goes
        if (parts.Contains("4"))
        {
            var table4 = new MarkdownTable("Store", "µs per instance", "Store commits µs", "Commits per instance", "Instance reads µs", "Other store µs", "Expressions µs", "Expressions per instance", "Engine's own code µs", "of which state JSON µs", "State JSON chars per commit");
            foreach (var kind in new[] { "memory", "sqlite" })
            {
                // two passes, the less disturbed one kept (the machine is shared)
                var first = await ProfileAsync(kind, profile, ct);
                var second = await ProfileAsync(kind, profile, ct);
                table4.Add([kind, .. (double)first[0]! <= (double)second[0]! ? first : second]);
            }
            await output.WriteLineAsync("## 4. Where VirtFlow's time goes");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"The ten-step workflow, 1 caller, {profile} instances after 200 warm-up ones; store and evaluator wrapped in Stopwatch timers; the less disturbed of two passes; the rest is the engine's own code, of which the state document's (de)serialization (one write per commit, one read per run) is timed apart on the documents one instance committed.");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table4.ToString());

            var scaling = new MarkdownTable("Steps per instance", "Instances per pass", "µs per instance", "µs per step", "× the 10-step cost per step", "State JSON chars at the end");
            var lengths = new[] { 10, 20, 40 };
            var scaled = await StepScalingAsync(lengths, profile * 10, ct);
            for (var i = 0; i < lengths.Length; i++)
            {
                var (perInstance, stateChars) = scaled[i];
                scaling.Add(lengths[i], profile * 10 / lengths[i], perInstance, perInstance / lengths[i], Ratio(perInstance / lengths[i] / (scaled[0].PerInstance / lengths[0])), stateChars);
            }
            await output.WriteLineAsync("The cost of a step by the workflow's length (in-memory store, 1 caller, the same number of steps per pass, best of 3 passes taking turns): a cost per step that grows with the number of steps is work done over the whole instance at every step (re-walk, state document, expression scope).");
            await output.WriteLineAsync();
            await output.WriteLineAsync(scaling.ToString());
        }

        await output.WriteLineAsync(HowToRead);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Suite ran {total.Elapsed.TotalSeconds:F0} s; load average at end {LoadAverage()}.");
        return failures > 0 ? 1 : 0;
    }

    private const string HowToRead = """
        **How to read.** "× WC mapped" and "× WC direct" divide an engine's figure by WorkflowCore's in that table:
        above 1 is *faster* for Speed (instances/s), but *slower* for Median/p99, *more* CPU, *bigger* for Bytes.
        Same work per step: VirtFlow's `setVariable` with `${ vars.n + 1 }` (a sandboxed Jint expression) and one
        durable commit per step; WorkflowCore "mapped", the like-for-like form, computes `N + 1` in an input mapping
        and writes it back through an output mapping (its in-memory provider persists after every step), and
        WorkflowCore "direct", its cheapest form, changes its data in the step body (no mappings; WorkflowCore
        compiles an expression tree for every mapping it applies, which is most of its CPU). VirtFlow runs an
        instance inline on its caller; WorkflowCore queues it to its consumer threads (4 at most by default): each
        caller starts one instance and waits for it, so every engine has the same number in flight. Completion:
        VirtFlow's committed Completed status (StartAsync returning; the InstanceStatusChanged event of a resume);
        WorkflowCore's last step body signals (its final in-memory persist follows): slightly in its favour.
        WorkflowCore's in-memory provider keeps instances, subscriptions and events in lists searched linearly, so
        its resume cost grows with the number of waiting instances. Table 3 counts what an engine and its store
        keep reachable per waiting instance (VirtFlow in-memory: instance, state, input, bookmark and journal as
        JSON nodes; WorkflowCore: instance, execution pointers, subscription); the SQLite store keeps instances in
        its file, so its row is the engine's own per-instance cost (≈ 0: caches and pools make some KiB of noise).
        Times and CPU include a full garbage collection after each engine's turn (so that none pays for another's
        garbage); CPU is the whole process's. Table 4 is VirtFlow alone, one caller: store, expressions, the rest.
        This machine is shared and loaded (see the load figures): rows of one run compare; absolute figures do not
        carry over to an idle machine, where thread hand-offs (WorkflowCore makes several per step, VirtFlow none)
        cost less.
        """;

    private static HashSet<string> ReferenceKeys => ["wc", "wc-direct"];

    /// <summary>Ratio column headers: one per WorkflowCore variant among the engines.</summary>
    private static string[] RefHeaders(IEnumerable<IEngineSubject> subjects, string what) =>
        RefHeaders(subjects.Select(s => s is WorkflowCoreSubject w ? w.Variant : ""), what);

    private static string[] RefHeaders(IEnumerable<string> keys, string what) =>
        keys.Where(ReferenceKeys.Contains).Select(k => $"{what} × WC {(k == "wc" ? "mapped" : "direct")}").ToArray();

    private static object?[] RefRatios(IEnumerable<IEngineSubject> subjects, double[] values, int i) =>
        RefRatios(subjects.Select(s => s is WorkflowCoreSubject w ? w.Variant : "").ToList(), values, i);

    private static object?[] RefRatios(List<string> keys, double[] values, int i) =>
        keys.Select((k, j) => (k, j)).Where(x => ReferenceKeys.Contains(x.k)).Select(x => (object?)Ratio(values[i] / values[x.j])).ToArray();

    /// <summary>The engines named by <c>--engines</c>, in that order.</summary>
    private static async Task<List<IEngineSubject>> CreateSubjectsAsync(IEnumerable<string> engines, CancellationToken ct)
    {
        var subjects = new List<IEngineSubject>();
        foreach (var key in engines) subjects.Add(await CreateSubjectAsync(key, ct));
        return subjects;
    }

    private static async Task<IEngineSubject> CreateSubjectAsync(string key, CancellationToken ct) => key switch
    {
        "wc" => await WorkflowCoreSubject.CreateAsync(direct: false, ct),
        "wc-direct" => await WorkflowCoreSubject.CreateAsync(direct: true, ct),
        "memory" => await EngineVirtFlowSubject.CreateAsync("memory"),
        "sqlite" => await EngineVirtFlowSubject.CreateAsync("sqlite"),
        _ => throw new ArgumentException($"unknown engine '{key}' (wc, wc-direct, memory, sqlite)"),
    };

    /// <summary>Runs <paramref name="count"/> items (numbered from <paramref name="first"/>) with <paramref name="callers"/> at a time; returns seconds.</summary>
    private static async Task<double> RunManyAsync(Func<int, Task> one, int first, int count, int callers, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = ct },
            async (n, _) => await one(n));
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The breakdown row of table 4 for one store kind.</summary>
    private static async Task<object?[]> ProfileAsync(string kind, int count, CancellationToken ct)
    {
        var t = new EngineTimings();
        await using var subject = await EngineVirtFlowSubject.CreateAsync(kind, store => new EngineTimingStore(store, t),
            new EngineTimingEvaluator(new Engine.Expressions.JintExpressionEvaluator(), t));
        await RunManyAsync(n => subject.RunTenStepsAsync(n, ct), 0, 200, 1, ct);
        await SettleAsync(ct);
        t.Reset();
        var seconds = await RunManyAsync(n => subject.RunTenStepsAsync(n, ct), 200, count, 1, ct);
        double PerInstance(long ticks) => EngineTimings.Ms(ticks) * 1000 / count;
        var totalUs = seconds * 1_000_000 / count;
        var store = PerInstance(t.CommitTicks) + PerInstance(t.ReadTicks) + PerInstance(t.OtherStoreTicks);
        List<System.Text.Json.Nodes.JsonObject> states;
        lock (t.SampleStates) states = [.. t.SampleStates];
        var (writeUs, readUs) = EngineStateCost.Measure(states);
        var stateUs = writeUs + readUs;
        return
        [
            totalUs,
            PerInstance(t.CommitTicks),
            (double)t.Commits / count,
            PerInstance(t.ReadTicks),
            PerInstance(t.OtherStoreTicks),
            PerInstance(t.ExpressionTicks),
            (double)t.Expressions / count,
            totalUs - store - PerInstance(t.ExpressionTicks),
            stateUs,
            t.StateSamples == 0 ? 0 : t.StateChars / t.StateSamples,
        ];
    }

    /// <summary>
    /// µs per instance of workflows of <paramref name="lengths"/> trivial steps (in-memory, one caller; best of 3 passes
    /// of <paramref name="stepsPerPass"/> steps, the lengths taking turns), and the size of each one's final state.
    /// </summary>
    private static async Task<(double PerInstance, int StateChars)[]> StepScalingAsync(int[] lengths, int stepsPerPass, CancellationToken ct)
    {
        await using var subject = await EngineVirtFlowSubject.CreateAsync("memory");
        var definitions = lengths.Select(n => EngineVirtFlowSubject.Parse(EngineVirtFlowSubject.StepsYaml($"bench-{n}", n))).ToArray();
        var ids = new string[lengths.Length];
        async Task<double> PassAsync(int i, int instances)
        {
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < instances; k++) ids[i] = await subject.Engine.StartAsync(definitions[i], null, null, ct);
            return watch.Elapsed.TotalMicroseconds / instances;
        }
        for (var i = 0; i < lengths.Length; i++) await PassAsync(i, stepsPerPass / lengths[i] / 2);
        await SettleAsync(ct);
        var best = lengths.Select(_ => double.MaxValue).ToArray();
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < lengths.Length; i++) best[i] = Math.Min(best[i], await PassAsync(i, stepsPerPass / lengths[i]));
        }
        var result = new (double, int)[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            var instance = await subject.Engine.GetInstanceAsync(ids[i], ct) ?? throw new InvalidOperationException("instance vanished");
            if (instance.State["vars"]?["n"]?.GetValue<int>() != lengths[i])
                throw new InvalidOperationException($"the {lengths[i]}-step workflow ended with n = {instance.State["vars"]?["n"]}");
            result[i] = (best[i], instance.State.ToJsonString().Length);
        }
        return result;
    }

    /// <summary>After a warm-up: collects, and lets background JIT tiering and finalizers finish.</summary>
    private static async Task SettleAsync(CancellationToken ct)
    {
        Collect();
        await Task.Delay(1000, ct);
        Collect();
    }

    /// <summary>Managed heap in use after forced, compacting full collections.</summary>
    private static long Collect()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>CPU time of this process (all threads), seconds.</summary>
    private static double CpuSeconds() => Environment.CpuUsage.TotalTime.TotalSeconds;

    private static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    /// <summary>The load average (1 min when <paramref name="first"/>, else 1/5/15 min), from /proc/loadavg.</summary>
    internal static string LoadAverage(bool first = false)
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return first ? parts[0] : string.Join(" / ", parts.Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static IEnumerable<int> Shuffled(int count, Random random)
    {
        var items = Enumerable.Range(0, count).ToArray();
        random.Shuffle(items);
        return items;
    }

    private static List<string> ListOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        var text = i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }
}
