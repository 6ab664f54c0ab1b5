using System.Diagnostics;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// Issue 4: the pause window (stop → every disk pivoted → cont) for 1, 4 and 8 disks, and the freeze window on the tiny
/// real guest, for three paths on the same VM in the same run, repetitions interleaved (a, b, c, d, then b, c, d, a, ...):
/// <list type="number">
/// <item><b>direct</b>: our <see cref="QmpClient"/> on a monitor of its own: stop → job-complete all → all PENDING →
/// job-finalize all → all CONCLUDED → cont (QGA freeze/thaw instead of stop/cont for the freeze window);</item>
/// <item><b>worker</b>: the host worker of an embedded VirtFlow called in-process (<c>HandleAsync</c>): one PivotJobs with
/// <c>Quiesce</c> (the worker quiesces, switches and releases the guest before it answers);</item>
/// <item><b>worker, 3 commands</b>: the same worker, QuiesceVm → PivotJobs → UnquiesceVm (the guest held across three calls);</item>
/// <item><b>engine</b>: the whole copy-disks-pivot workflow through the embedded engine (in-memory bus, SQLite), whose vm.pivot
/// sends that one quiesced PivotJobs.</item>
/// </list>
/// The pause window is read from QEMU's own STOP and RESUME event timestamps (on a separate observer monitor), so it
/// does not depend on the path measured. The freeze window is read on the guest agent's channel (<see cref="QgaTap"/>):
/// from the freeze's answer to the thaw's answer. Mirrors are started (and reach READY) before a measurement, outside it.
/// Options: <c>--reps N</c> (30 per variant and disk count), <c>--freeze-reps N</c> (20), <c>--disks 1,4,8</c>,
/// <c>--warmup N</c> (2 per variant), <c>--parts pause,freeze</c>.
/// </summary>
public static class PauseBenchmarks
{
    private static readonly string[] Variants = ["direct", "worker", "worker, 3 commands", "engine"];
    private const string WorkerColumn = "Worker: switch ms / PivotJobs call ms / held ms (medians)";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var reps = VmBench.IntOption(args, "--reps", 30);
        var freezeReps = VmBench.IntOption(args, "--freeze-reps", 20);
        var warmup = VmBench.IntOption(args, "--warmup", 2);
        var diskCounts = VmBench.ListOption(args, "--disks", "1,4,8").Select(int.Parse).ToArray();
        var parts = VmBench.ListOption(args, "--parts", "pause,freeze");
        var total = Stopwatch.StartNew();

        await output.WriteLineAsync("# pause: the guest's pause and freeze windows, VirtFlow vs a direct QMP sequence");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s), .NET {Environment.Version}; load average at start {VmBench.LoadAverage()} (1/5/15 min; the machine is shared with other QEMU tests, hence interleaved variants and ratios).");
        await output.WriteLineAsync();

        if (parts.Contains("pause"))
        {
            var table = new MarkdownTable("Disks", "Variant", "Reps", "Median ms", "p99 ms", "Mean ms", "Max ms", "Median × direct", "p99 × direct", WorkerColumn, "Load (1 min)");
            foreach (var disks in diskCounts)
            {
                var load = VmBench.LoadAverage().Split(' ')[0];
                var (windows, pivots, qemu) = await PauseRunAsync(disks, reps, warmup, ct);
                load += " → " + VmBench.LoadAverage().Split(' ')[0];
                var direct = Stats.From(windows[0]);
                for (var v = 0; v < Variants.Length; v++)
                {
                    var s = Stats.From(windows[v]);
                    table.Add(disks, Variants[v], s.Count, s.Median, s.P99, s.Mean, s.Max, VmBench.Ratio(s.Median, direct.Median), VmBench.Ratio(s.P99, direct.P99),
                        WorkerCell(pivots[v]), load);
                }
                if (disks == diskCounts[0]) await output.WriteLineAsync($"QEMU {qemu}, TCG; VM running (no -S), {disks} → ... qcow2 disks of 16 MiB (1 MiB of data each).");
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync("## 1. Pause window: QEMU's STOP → RESUME event timestamps");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{reps} repetitions per variant and disk count after {warmup} warm-up ones, variants taking turns (a b c d, b c d a, ...) on the same VM. "
                + "direct: stop → job-complete all → all PENDING → job-finalize all → all CONCLUDED → cont, on a monitor of its own; "
                + "worker: one PivotJobs with quiesce pause through HostWorker.HandleAsync (the worker reads first, then stop → complete all → all PENDING → finalize all → all CONCLUDED → cont, then checks and answers); "
                + "worker, 3 commands: QuiesceVm(pause) → PivotJobs → UnquiesceVm, the way before; engine: copy-disks-pivot, quiesce: pause (its vm.pivot sends that one PivotJobs; the dismiss comes after the resume).");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table.ToString());
        }

        if (parts.Contains("freeze"))
        {
            var load = VmBench.LoadAverage().Split(' ')[0];
            var (windows, pivots) = await FreezeRunAsync(freezeReps, warmup, ct);
            load += " → " + VmBench.LoadAverage().Split(' ')[0];
            var table = new MarkdownTable("Variant", "Reps", "Median ms", "p99 ms", "Mean ms", "Max ms", "Median × direct", "p99 × direct", WorkerColumn, "Load (1 min)");
            var direct = Stats.From(windows[0]);
            for (var v = 0; v < Variants.Length; v++)
            {
                var s = Stats.From(windows[v]);
                table.Add(Variants[v], s.Count, s.Median, s.P99, s.Mean, s.Max, VmBench.Ratio(s.Median, direct.Median), VmBench.Ratio(s.P99, direct.P99),
                    WorkerCell(pivots[v]), load);
            }
            await output.WriteLineAsync("## 2. Freeze window on the tiny real guest: guest-fsfreeze-freeze answered → guest-fsfreeze-thaw answered");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"The tiny guest (1 vCPU, TCG, ext4 on vda, writing with fsync all the time), 1 disk, {freezeReps} repetitions per variant after {warmup} warm-up ones, taking turns. "
                + "Measured on the agent's channel by a tap between the caller and QEMU's socket: from the moment the freeze's answer passes to the moment the thaw's answer passes "
                + "(the guest is frozen from just before the first to just before the second; the same observable whoever calls). "
                + "direct: QgaClient freeze → QMP complete → PENDING → finalize → CONCLUDED → thaw; worker: one PivotJobs with quiesce fsfreeze; worker, 3 commands: QuiesceVm(fsfreeze) → PivotJobs → UnquiesceVm; engine: copy-disks-pivot, quiesce: fsfreeze.");
            await output.WriteLineAsync();
            await output.WriteLineAsync(table.ToString());
        }

        await output.WriteLineAsync("**How to read.** \"× direct\" divides a variant's figure by the direct QMP sequence's in the same table (1.00× = as narrow as direct; the goal is ≤ 1). "
            + "Worker column: its own switch time (PivotJobsResult.TotalMs: first job-complete sent → all concluded), the PivotJobs call as HandleAsync's caller sees it, "
            + "and (one command) the window the worker measured itself (PivotJobsResult.Quiesce.QuiescedMs: its quiesce returned → its release returned).");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Suite ran {total.Elapsed.TotalSeconds:F0} s; load average at end {VmBench.LoadAverage()}.");
        return 0;
    }

    private static string? WorkerCell(List<(double PivotMs, double PivotCallMs, double HeldMs)> pivots) => pivots.Count == 0 ? null
        : $"{Stats.From(pivots.Select(p => p.PivotMs)).Median:0.0} / {Stats.From(pivots.Select(p => p.PivotCallMs)).Median:0.0}"
            + (pivots.Any(p => !double.IsNaN(p.HeldMs)) ? $" / {Stats.From(pivots.Where(p => !double.IsNaN(p.HeldMs)).Select(p => p.HeldMs)).Median:0.0}" : "");

    private static async Task<(List<double>[] Windows, List<(double PivotMs, double PivotCallMs, double HeldMs)>[] Pivots, string Qemu)> PauseRunAsync(int disks, int reps, int warmup, CancellationToken ct)
    {
        var directSocket = Path.Combine(TestDirs.Root, $"d-{Guid.NewGuid():N}"[..10] + ".sock");
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions
        {
            Disks = disks, DiskSize = 16L << 20, PrefillBytes = 1L << 20, StartRunning = true,
            ExtraArgs = ["-qmp", $"unix:{directSocket},server=on,wait=off"],
        }, ct);
        try
        {
            var qemu = vm.Monitor.Greeting.Version.ToString();
            await using var direct = await ConnectAsync(directSocket, ct);
            await using var host = await VmBench.StartEmbeddedAsync(vm.QmpSocketPath, null, BusTransport.InMemory, null, ct);
            var definition = VmBench.LoadCopyDisksPivot(host);
            var devices = vm.Disks.Select(d => d.Id).ToList();
            var sizes = vm.Disks.Select(d => (d.Id, d.Size)).ToList();
            var windows = Variants.Select(_ => new List<double>()).ToArray();
            var pivots = Variants.Select(_ => new List<(double PivotMs, double PivotCallMs, double HeldMs)>()).ToArray();
            var n = 0;
            for (var rep = -warmup; rep < reps; rep++)
            {
                for (var k = 0; k < Variants.Length; k++)
                {
                    var v = (k + rep + warmup) % Variants.Length;
                    var tag = $"r{n++}{Variants[v][0]}";
                    using var probe = new VmBench.PauseProbe(vm.Monitor);
                    (double PivotMs, double PivotCallMs, double HeldMs)? pivot = null;
                    switch (v)
                    {
                        case 0:
                            // The embedded worker, connected to the same VM, sends QEMU nothing meanwhile: direct has QEMU to itself.
                            using (host.Worker.HoldQueries(VmBench.VmName))
                            {
                                var jobs = await VmBench.DirectMirrorAsync(direct, vm.Dir, sizes, tag, ct);
                                await VmBench.DirectSwitchAsync(direct, jobs, pause: true, null, ct);
                            }
                            break;
                        case 1:
                            var workerJobs = await VmBench.WorkerMirrorAsync(host, vm.Monitor, vm.Dir, devices, tag, ct);
                            pivot = await VmBench.WorkerQuiescedSwitchAsync(host, workerJobs, QuiesceModes.Pause, ct);
                            break;
                        case 2:
                            var threeJobs = await VmBench.WorkerMirrorAsync(host, vm.Monitor, vm.Dir, devices, tag, ct);
                            var (pivotMs, callMs) = await VmBench.WorkerSwitchAsync(host, threeJobs, QuiesceModes.Pause, ct);
                            pivot = (pivotMs, callMs, double.NaN);
                            break;
                        default:
                            await VmBench.RunCopyAsync(host, definition, vm.Dir, devices, tag, QuiesceModes.Pause, ct);
                            break;
                    }
                    var window = await probe.WindowMsAsync();
                    await VmBench.CleanupAsync(vm.Monitor, vm.Dir, ct);
                    if (v == 0) await Task.Delay(VmBench.Settle, ct); // the held worker catches up before the next turn
                    if (rep < 0) continue;
                    windows[v].Add(window);
                    if (pivot is { } p) pivots[v].Add(p);
                }
            }
            return (windows, pivots, qemu);
        }
        finally
        {
            File.Delete(directSocket);
        }
    }

    private static async Task<(List<double>[] Windows, List<(double PivotMs, double PivotCallMs, double HeldMs)>[] Pivots)> FreezeRunAsync(int reps, int warmup, CancellationToken ct)
    {
        string? dir = null;
        try
        {
            return await FreezeRunAsync(reps, warmup, d => dir = d, ct);
        }
        finally
        {
            // the guest is gone by now; its folder holds the disk and every target image
            if (dir is not null && Environment.GetEnvironmentVariable("VIRTFLOW_KEEP_TEST_DIRS") != "1")
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    private static async Task<(List<double>[] Windows, List<(double PivotMs, double PivotCallMs, double HeldMs)>[] Pivots)> FreezeRunAsync(int reps, int warmup, Action<string> started, CancellationToken ct)
    {
        await using var guest = await TinyGuest.StartAsync(null, ct);
        started(guest.Dir);
        await using var tap = new QgaTap(guest.QgaSocket, Path.Combine(guest.Dir, "tap.sock"));
        await using var direct = await ConnectAsync(guest.TestQmpSocket, ct);
        await using var host = await VmBench.StartEmbeddedAsync(guest.QmpSocket, tap.Path, BusTransport.InMemory, null, ct);
        var definition = VmBench.LoadCopyDisksPivot(host);
        var size = new FileInfo(guest.DiskPath).Length;
        var virtualSize = (await direct.QueryBlockAsync(null, ct)).First(b => b.Qdev?.Contains("/vda/", StringComparison.Ordinal) == true).Inserted!.Image!.VirtualSize;
        string[] devices = [TinyGuest.DiskDeviceId];
        var windows = Variants.Select(_ => new List<double>()).ToArray();
        var pivots = Variants.Select(_ => new List<(double PivotMs, double PivotCallMs, double HeldMs)>()).ToArray();
        var n = 0;
        for (var rep = -warmup; rep < reps; rep++)
        {
            for (var k = 0; k < Variants.Length; k++)
            {
                var v = (k + rep + warmup) % Variants.Length;
                var tag = $"r{n++}{Variants[v][0]}";
                (double PivotMs, double PivotCallMs, double HeldMs)? pivot = null;
                int mark;
                switch (v)
                {
                    case 0:
                        using (host.Worker.HoldQueries(VmBench.VmName)) // direct has QEMU to itself
                        {
                            var jobs = await VmBench.DirectMirrorAsync(direct, guest.Dir, [(TinyGuest.DiskDeviceId, virtualSize)], tag, ct);
                            await using var agent = await QgaClient.ConnectAsync(tap.Path, null, ct);
                            await agent.SyncAsync(null, ct);
                            mark = tap.Mark();
                            await VmBench.DirectSwitchAsync(direct, jobs, pause: false, agent, ct);
                        }
                        break;
                    case 1:
                        var workerJobs = await VmBench.WorkerMirrorAsync(host, direct, guest.Dir, devices, tag, ct);
                        mark = tap.Mark();
                        pivot = await VmBench.WorkerQuiescedSwitchAsync(host, workerJobs, QuiesceModes.FsFreeze, ct);
                        break;
                    case 2:
                        var threeJobs = await VmBench.WorkerMirrorAsync(host, direct, guest.Dir, devices, tag, ct);
                        mark = tap.Mark();
                        var (pivotMs, callMs) = await VmBench.WorkerSwitchAsync(host, threeJobs, QuiesceModes.FsFreeze, ct);
                        pivot = (pivotMs, callMs, double.NaN);
                        break;
                    default:
                        mark = tap.Mark();
                        await VmBench.RunCopyAsync(host, definition, guest.Dir, devices, tag, QuiesceModes.FsFreeze, ct);
                        break;
                }
                var window = await tap.WindowMsAsync(mark);
                await VmBench.CleanupAsync(direct, guest.Dir, ct);
                if (v == 0) await Task.Delay(VmBench.Settle, ct); // the held worker catches up before the next turn
                if (rep < 0) continue;
                windows[v].Add(window);
                if (pivot is { } p) pivots[v].Add(p);
            }
        }
        _ = size;
        await host.StopAsync(ct);
        return (windows, pivots);
    }

    private static async Task<QmpClient> ConnectAsync(string socket, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try { return await QmpClient.ConnectAsync(QmpEndpoint.Unix(socket), null, ct); }
            catch (QmpException) when (watch.Elapsed < TimeSpan.FromSeconds(30)) { await Task.Delay(50, ct); }
        }
    }
}
