using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// What the <c>pause</c> and <c>distributed</c> suites share: the three ways to move disks (a direct QMP sequence, the
/// host worker called in-process, the copy-disks-pivot workflow through an embedded engine), the path-independent
/// observers (QEMU's own STOP/RESUME event timestamps; a tap on the guest agent's socket), and the clean-up between
/// repetitions.
/// </summary>
internal static class VmBench
{
    public const string VmName = "vm";

    /// <summary>
    /// After a turn during which a worker connected to the same VM was held (<c>HostWorker.HoldQueries</c>): time for it to
    /// forward what it held back, so the next turn does not pay for it.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>The pause window from QEMU's own timestamps: the STOP event, then the RESUME event (µs resolution).</summary>
    public sealed class PauseProbe(QmpClient observer) : IDisposable
    {
        private readonly QmpEventSubscription _events = observer.Subscribe(e => e.Name is "STOP" or "RESUME");

        /// <summary>Milliseconds between the next STOP and the RESUME after it (QEMU's timestamps).</summary>
        public async Task<double> WindowMsAsync()
        {
            var stop = await _events.WaitAsync(e => e.Name == "STOP", TimeSpan.FromSeconds(60));
            var resume = await _events.WaitAsync(e => e.Name == "RESUME", TimeSpan.FromSeconds(60));
            return (resume.Timestamp - stop.Timestamp).TotalMilliseconds;
        }

        public void Dispose() => _events.Dispose();
    }

    /// <summary>
    /// Direct QMP, no VirtFlow code above the client: target images made with qemu-img (as the worker does),
    /// blockdev-add, blockdev-mirror (auto-finalize and auto-dismiss off), READY. Returns the job ids.
    /// </summary>
    public static async Task<List<string>> DirectMirrorAsync(QmpClient qmp, string dir, IReadOnlyList<(string Device, long Size)> disks, string tag, CancellationToken ct, Dictionary<string, double>? phases = null)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var events = qmp.Subscribe(e => e.Name == "JOB_STATUS_CHANGE");
        var jobs = new List<string>();
        foreach (var (device, size) in disks)
        {
            var source = await qmp.FindNodeForDeviceAsync(device, null, ct) ?? throw new InvalidOperationException($"no node for {device}");
            var path = Path.Combine(dir, $"{tag}-{device}.qcow2");
            await QemuImg.CreateAsync(path, "qcow2", size, ct);
            var node = $"n-{tag}-{device}";
            await qmp.BlockdevAddFileAsync(node, path, "qcow2", null, ct);
            var job = $"j-{tag}-{device}";
            await qmp.BlockdevMirrorAsync(new MirrorRequest(job, source, node) { AutoFinalize = false, AutoDismiss = false }, null, ct);
            jobs.Add(job);
        }
        var t1 = Stopwatch.GetTimestamp();
        await WaitAllAsync(events, jobs, "ready", ct);
        if (phases is not null)
        {
            phases["mirror"] = Stats.Micros(t0, t1) / 1000;
            phases["wait"] = Stats.Micros(t1, Stopwatch.GetTimestamp()) / 1000;
        }
        return jobs;
    }

    /// <summary>
    /// The switch, direct: [stop | freeze] → job-complete all (pipelined) → all PENDING → job-finalize all (pipelined)
    /// → all CONCLUDED → [cont | thaw]. Events from a subscription taken before the first command.
    /// </summary>
    public static async Task DirectSwitchAsync(QmpClient qmp, IReadOnlyList<string> jobs, bool pause, IQgaClient? agent, CancellationToken ct, Dictionary<string, double>? phases = null)
    {
        using var events = qmp.Subscribe(e => e.Name == "JOB_STATUS_CHANGE");
        var t0 = Stopwatch.GetTimestamp();
        if (agent is not null) await agent.FsFreezeAsync(null, ct);
        if (pause) await qmp.StopAsync(null, ct);
        var t1 = Stopwatch.GetTimestamp();
        await Task.WhenAll(jobs.Select(j => qmp.JobCompleteAsync(j, null, ct)).ToArray());
        await WaitAllAsync(events, jobs, "pending", ct);
        await Task.WhenAll(jobs.Select(j => qmp.JobFinalizeAsync(j, null, ct)).ToArray());
        await WaitAllAsync(events, jobs, "concluded", ct);
        var t2 = Stopwatch.GetTimestamp();
        if (pause) await qmp.ContAsync(null, ct);
        if (agent is not null) await agent.FsThawAsync(null, ct);
        if (phases is not null)
        {
            phases["quiesce"] = Stats.Micros(t0, t1) / 1000;
            phases["pivot"] = Stats.Micros(t1, t2) / 1000;
            phases["thaw"] = Stats.Micros(t2, Stopwatch.GetTimestamp()) / 1000;
        }
    }

    /// <summary>The copy-disks-pivot steps whose durations the distributed suite compares, in order.</summary>
    public static readonly string[] Phases = ["mirror", "wait", "quiesce", "pivot", "thaw"];

    /// <summary>From an instance's journal: ms from each step's first StepStarted to its last StepCompleted, by step id, and the gaps between steps.</summary>
    public static async Task<Dictionary<string, double>> StepTimesAsync(EmbeddedVirtFlow host, string instanceId, CancellationToken ct)
    {
        var journal = await host.Engine.GetJournalAsync(instanceId, ct);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in journal.Where(j => j.StepPath is not null).GroupBy(j => j.StepPath!.Split('/')[^1]))
        {
            var started = group.Where(j => j.Kind == "StepStarted").Select(j => j.At).DefaultIfEmpty().Min();
            var completed = group.Where(j => j.Kind == "StepCompleted").Select(j => j.At).DefaultIfEmpty().Max();
            if (started != default && completed != default) result[group.Key] = (completed - started).TotalMilliseconds;
        }
        return result;
    }

    private static async Task WaitAllAsync(QmpEventSubscription events, IReadOnlyList<string> jobs, string status, CancellationToken ct)
    {
        var left = new HashSet<string>(jobs, StringComparer.Ordinal);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(120));
        while (left.Count > 0)
        {
            var e = await events.Reader.ReadAsync(limit.Token);
            if (e.GetString("status") == status) left.Remove(e.GetString("id") ?? "");
        }
    }

    /// <summary>
    /// Between repetitions, on the observer's monitor: dismisses concluded jobs, removes the block nodes no device uses
    /// (the old sources) and deletes the image files in <paramref name="dir"/> made by earlier repetitions that no node uses.
    /// </summary>
    public static async Task CleanupAsync(QmpClient observer, string dir, CancellationToken ct)
    {
        foreach (var job in await observer.QueryJobsAsync(null, ct))
        {
            if (job.Status != "concluded") throw new InvalidOperationException($"job {job.Id} is {job.Status} after a repetition");
            await observer.JobDismissAsync(job.Id, null, ct);
        }
        var used = (await observer.QueryBlockAsync(null, ct)).Select(b => b.Inserted?.NodeName).Where(n => n is not null).ToHashSet(StringComparer.Ordinal);
        foreach (var node in await observer.QueryNamedBlockNodesAsync(true, null, ct))
        {
            if (node.NodeName.StartsWith('#') || used.Contains(node.NodeName) || node.Drv == "file") continue;
            try { await observer.BlockdevDelAsync(node.NodeName, null, ct); }
            catch (QmpException) { /* a child of a node in use, or already removed */ }
        }
        var files = (await observer.QueryNamedBlockNodesAsync(true, null, ct)).Select(n => n.File).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "r*-*.qcow2"))
            if (!files.Contains(file)) File.Delete(file);
    }

    /// <summary>A command for the embedded worker (host <c>local</c>, VM <see cref="VmName"/>) with a fresh id.</summary>
    public static T Command<T>(string prefix, Func<string, T> make) where T : HostCommand => make($"bench-{prefix}-{Guid.NewGuid():N}"[..32]);

    public static async Task<T> RunOkAsync<T>(VirtFlow.HostWorker.HostWorker worker, HostCommand command, CancellationToken ct) where T : class
    {
        var result = await worker.HandleAsync(command, ct);
        if (!result.Success) throw new InvalidOperationException($"{command.GetType().Name} failed: {result.ErrorClass}: {result.Error}");
        return HostResultJson.Read<T>(result)!;
    }

    /// <summary>The host worker, called in-process: mirror (not timed by the callers), READY.</summary>
    public static async Task<List<string>> WorkerMirrorAsync(EmbeddedVirtFlow host, QmpClient observer, string dir, IReadOnlyList<string> devices, string tag, CancellationToken ct)
    {
        using var events = observer.Subscribe(e => e.Name == "JOB_STATUS_CHANGE");
        var specs = devices.Select(d => new DiskMirrorSpec(d, Path.Combine(dir, $"{tag}-{d}.qcow2"), "qcow2", $"j-{tag}-{d}")).ToList();
        await RunOkAsync<MirrorDisksResult>(host.Worker, Command("mirror", id => new MirrorDisks { CommandId = id, HostId = host.Worker.HostId, Vm = VmName, Disks = specs }), ct);
        var jobs = specs.Select(s => s.JobId).ToList();
        await WaitAllAsync(events, jobs, "ready", ct);
        return jobs;
    }

    /// <summary>
    /// The host worker's switch, in-process: QuiesceVm → PivotJobs → UnquiesceVm (then DismissJobs, after the resume).
    /// Returns the worker's own pivot timing (first job-complete → all concluded) and the PivotJobs call as its caller sees it (ms).
    /// </summary>
    public static async Task<(double PivotMs, double PivotCallMs)> WorkerSwitchAsync(EmbeddedVirtFlow host, IReadOnlyList<string> jobs, string mode, CancellationToken ct)
    {
        var worker = host.Worker;
        var h = worker.HostId;
        var lease = await RunOkAsync<QuiesceResult>(worker, Command("quiesce", id => new QuiesceVm { CommandId = id, HostId = h, Vm = VmName, Mode = mode, Lease = TimeSpan.FromMinutes(2) }), ct);
        PivotJobsResult pivot;
        var start = Stopwatch.GetTimestamp();
        double call;
        try
        {
            pivot = await RunOkAsync<PivotJobsResult>(worker, Command("pivot", id => new PivotJobs { CommandId = id, HostId = h, Vm = VmName, JobIds = jobs }), ct);
            call = Stats.Micros(start, Stopwatch.GetTimestamp()) / 1000;
        }
        finally
        {
            await RunOkAsync<UnquiesceResult>(worker, Command("unquiesce", id => new UnquiesceVm { CommandId = id, HostId = h, Vm = VmName, LeaseId = lease.LeaseId }), ct);
        }
        await RunOkAsync<DismissJobsResult>(worker, Command("dismiss", id => new DismissJobs { CommandId = id, HostId = h, Vm = VmName, JobIds = jobs }), ct);
        return (pivot.TotalMs, call);
    }

    /// <summary>
    /// The switch through the worker in one command: PivotJobs with <c>Quiesce = mode</c> (the worker quiesces, switches and releases
    /// the guest before it answers), then DismissJobs. Returns the worker's switch time, the call as the caller sees it, and the
    /// window the worker measured (quiesced → released).
    /// </summary>
    public static async Task<(double PivotMs, double PivotCallMs, double HeldMs)> WorkerQuiescedSwitchAsync(EmbeddedVirtFlow host, IReadOnlyList<string> jobs, string mode, CancellationToken ct)
    {
        var worker = host.Worker;
        var h = worker.HostId;
        var start = Stopwatch.GetTimestamp();
        var pivot = await RunOkAsync<PivotJobsResult>(worker, Command("pivot", id => new PivotJobs
        {
            CommandId = id, HostId = h, Vm = VmName, JobIds = jobs, Quiesce = mode, Lease = TimeSpan.FromMinutes(2),
        }), ct);
        var call = Stats.Micros(start, Stopwatch.GetTimestamp()) / 1000;
        await RunOkAsync<DismissJobsResult>(worker, Command("dismiss", id => new DismissJobs { CommandId = id, HostId = h, Vm = VmName, JobIds = jobs }), ct);
        return (pivot.TotalMs, call, pivot.Quiesce?.QuiescedMs ?? double.NaN);
    }

    /// <summary>An embedded VirtFlow (engine, bus, worker <c>local</c> for VM <see cref="VmName"/>) on its own SQLite file unless a store is given.</summary>
    public static Task<EmbeddedVirtFlow> StartEmbeddedAsync(string? qmp, string? qga, BusTransport transport, string? storeSpec = null, CancellationToken ct = default)
    {
        string? dir = null;
        if (storeSpec is null)
        {
            dir = TestDirs.Create("bench-db");
            // deleted when the process ends (the stores are closed by then)
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            };
        }
        var options = new EmbeddedVirtFlowOptions
        {
            StoreSpec = storeSpec ?? "sqlite:" + Path.Combine(dir!, "virtflow.db"),
            Transport = transport,
        };
        if (Environment.GetEnvironmentVariable("VIRTFLOW_BENCH_TRACE") == "1")
            options.Logging = TraceLogProvider.Configure;
        if (qmp is not null) options.Vms.Add(new VmSpec(VmName, qmp, qga));
        return EmbeddedVirtFlow.StartAsync(options, ct);
    }

    /// <summary>workflows/copy-disks-pivot.yaml, validated against the host's activities and registered.</summary>
    public static WorkflowDefinition LoadCopyDisksPivot(EmbeddedVirtFlow host) => Define(host, File.ReadAllText(Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml")), "copy-disks-pivot.yaml");

    public static WorkflowDefinition Define(EmbeddedVirtFlow host, string yaml, string file)
    {
        var parsed = WorkflowParser.Parse(yaml, file);
        var errors = WorkflowValidator.Validate(parsed, host.Activities).Where(d => d.IsError).ToList();
        if (errors.Count > 0 || parsed.Definition is null) throw new InvalidOperationException($"{file} is invalid: " + string.Join("; ", errors));
        host.Definitions.Add(parsed.Definition);
        return parsed.Definition;
    }

    /// <summary>Runs copy-disks-pivot to its end; returns the instance (Completed, else throws) and the ms from start to completion.</summary>
    public static async Task<(WorkflowInstance Instance, double Ms)> RunCopyAsync(EmbeddedVirtFlow host, WorkflowDefinition definition, string dir, IReadOnlyList<string> devices, string tag, string quiesce, CancellationToken ct)
    {
        var inputs = new JsonObject
        {
            ["vm"] = VmName,
            ["quiesce"] = quiesce,
            ["disks"] = new JsonArray(devices.Select(d => (JsonNode)new JsonObject { ["device"] = d, ["target"] = Path.Combine(dir, $"{tag}-{d}.qcow2"), ["format"] = "qcow2" }).ToArray()),
        };
        var start = Stopwatch.GetTimestamp();
        var id = await host.Engine.StartAsync(definition, inputs, null, ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(3));
        var instance = await host.Engine.WaitForCompletionAsync(id, limit.Token);
        var ms = Stats.Micros(start, Stopwatch.GetTimestamp()) / 1000;
        if (instance.Status != InstanceStatus.Completed) throw new InvalidOperationException($"copy-disks-pivot {id} ended {instance.Status}: {instance.Fault}");
        return (instance, ms);
    }

    /// <summary>"1.23 / 4.56 / 7.89" load averages.</summary>
    public static string LoadAverage()
    {
        try { return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }

    /// <summary>× direct, or empty.</summary>
    public static string Ratio(double value, double reference) =>
        reference > 0 ? (value / reference).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";

    public static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }

    public static string[] ListOption(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return (i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}

/// <summary>
/// A tap on the guest agent's channel: <c>socat -v</c> between the caller and the VM's QGA socket (one client at a time,
/// as the agent's channel allows), which stamps every transfer with its own clock; the tap notes when the answer to a
/// <c>guest-fsfreeze-freeze</c> and to a <c>guest-fsfreeze-thaw</c> passes back. Whoever sends them (a direct client,
/// the worker, the engine's worker), the freeze window is the time between those two answers as seen on the wire, one
/// hop from QEMU. The worker refuses an agent socket not served by a <c>qemu-system*</c> executable (so it never freezes
/// the host's own agent): the tap runs as a copy of socat named <c>qemu-system-qga-tap</c> in the test root.
/// </summary>
internal sealed class QgaTap : IAsyncDisposable
{
    private static readonly System.Text.RegularExpressions.Regex Header =
        new(@"^([<>]) (\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)\.(\d+)\s+length=", System.Text.RegularExpressions.RegexOptions.Compiled);
    private readonly Process _socat;
    private readonly List<(string Kind, DateTime At)> _answers = [];
    private char _direction;
    private DateTime _at;
    private string? _pending;

    public QgaTap(string upstream, string path)
    {
        Path = path;
        var exe = System.IO.Path.Combine(TestDirs.Root, "qemu-system-qga-tap");
        if (!File.Exists(exe))
        {
            File.Copy("/usr/bin/socat", exe + ".tmp", overwrite: true);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(exe + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Move(exe + ".tmp", exe, overwrite: true);
        }
        var info = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", $"UNIX-LISTEN:{path},fork,unlink-early", $"UNIX-CONNECT:{upstream}" }) info.ArgumentList.Add(a);
        _socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start");
        _socat.ErrorDataReceived += (_, e) => { if (e.Data is { } line) OnLine(line); };
        _socat.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10) || _socat.HasExited) throw new InvalidOperationException("the QGA tap (socat) did not listen");
            Thread.Sleep(20);
        }
    }

    public string Path { get; }

    /// <summary>How many answers were seen so far (a mark to read the next window from).</summary>
    public int Mark()
    {
        lock (_answers) return _answers.Count;
    }

    /// <summary>Ms from the last freeze answer after <paramref name="mark"/> to the first thaw answer after it (waits briefly for socat's log).</summary>
    public async Task<double> WindowMsAsync(int mark)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            lock (_answers)
            {
                var after = _answers.Skip(mark).ToList();
                var freeze = after.FindLastIndex(a => a.Kind == "freeze");
                var thaw = freeze < 0 ? -1 : after.FindIndex(freeze + 1, a => a.Kind == "thaw");
                if (thaw >= 0) return (after[thaw].At - after[freeze].At).TotalMilliseconds;
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(5)) throw new InvalidOperationException("no freeze → thaw answers seen on the agent's channel");
            await Task.Delay(20);
        }
    }

    private static readonly string? DebugLog = Environment.GetEnvironmentVariable("VIRTFLOW_BENCH_TAPLOG");

    private void OnLine(string line)
    {
        lock (_answers)
        {
            if (DebugLog is not null) File.AppendAllText(DebugLog, $"{DateTime.UtcNow:HH:mm:ss.ffffff} {line}\n");
            var m = Header.Match(line);
            if (m.Success)
            {
                _direction = m.Groups[1].Value[0];
                // socat 1.7 prints the microseconds zero-padded to nine digits (14:08:42.000515144 is .515144 s)
                _at = DateTime.ParseExact(m.Groups[2].Value, "yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture)
                    .AddTicks(long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * 10);
                return;
            }
            if (_direction == '>')
            {
                if (line.Contains("guest-fsfreeze-freeze", StringComparison.Ordinal)) _pending = "freeze";
                else if (line.Contains("guest-fsfreeze-thaw", StringComparison.Ordinal)) _pending = "thaw";
                else if (line.Contains("execute", StringComparison.Ordinal)) _pending = "other";
            }
            else if (_direction == '<' && _pending is ("freeze" or "thaw") && (line.Contains("\"return\"", StringComparison.Ordinal) || line.Contains("\"error\"", StringComparison.Ordinal)))
            {
                _answers.Add((_pending, _at));
                _pending = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_socat.HasExited) _socat.Kill(entireProcessTree: true);
            await _socat.WaitForExitAsync();
        }
        catch (InvalidOperationException) { }
        _socat.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }
}
