using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using static VirtFlow.MainJob.Tests.MainJob;

namespace VirtFlow.MainJob.Tests;

/// <summary>nightly-backup.yaml and evacuate-storage.yaml, embedded, against real QEMU (small disks: TCG is slow).</summary>
public sealed class When_the_fleet_workflows_run
{
    private const long Size = 4L << 20;

    [Fact]
    public async Task Nightly_backup_copies_every_vm_but_a_missing_one_faults_naming_it_and_keeps_the_last_two_copies()
    {
        await using var vm1 = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = Size, PrefillBytes = 1L << 20 });
        await using var vm2 = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, DiskSize = Size, PrefillBytes = 1L << 20 });
        var root = TestDirs.Create("backups");
        await using var host = await StartHostAsync(root, new VmSpec("vm1", vm1.QmpSocketPath), new VmSpec("vm2", vm2.QmpSocketPath));
        Load(host, "point-in-time-copy");

        // Run 1: three VMs, one the host does not serve.
        var first = await RunAsync(host, "nightly-backup", Backup(root, "vm1", "ghost", "vm2"));
        Assert.True(first.Status == InstanceStatus.Faulted, Details(first));
        Assert.True(first.Fault!.Contains("backup failed for 1 of 3 VM(s): ghost (VM ghost is not served by host local)", StringComparison.Ordinal), first.Fault);
        Assert.DoesNotContain("vm1", first.Fault, StringComparison.Ordinal);
        var stamp1 = Assert.Single(Stamps(root, "vm1"));
        Assert.Equal([stamp1], Stamps(root, "vm2"));
        Assert.Equal(first.CreatedAt.UtcDateTime.ToString(CopyNames.Format, CultureInfo.InvariantCulture), stamp1);
        await AssertCopyAsync(root, "vm1", stamp1, "vda", 0);
        await AssertCopyAsync(root, "vm1", stamp1, "vdb", 1);
        await AssertCopyAsync(root, "vm2", stamp1, "vda", 0);
        Assert.False(Directory.Exists(Path.Combine(root, "ghost")));

        // Runs 2 and 3: every VM the worker serves (vms empty); keep 2 deletes run 1's copies.
        var second = await RunNextSecondAsync(host, root, first);
        var third = await RunNextSecondAsync(host, root, second);
        foreach (var run in new[] { second, third })
            Assert.True(run.Status == InstanceStatus.Completed, Details(run));
        var stamp2 = second.Output!["stamp"]!.GetValue<string>();
        var stamp3 = third.Output!["stamp"]!.GetValue<string>();
        foreach (var vm in new[] { "vm1", "vm2" })
            Assert.Equal([stamp2, stamp3], Stamps(root, vm));
        await AssertCopyAsync(root, "vm1", stamp3, "vdb", 1);

        var summary = third.Output["summary"]!.AsArray();
        Assert.Equal(["vm1", "vm2"], summary.Select(s => s!["vm"]!.GetValue<string>()));
        Assert.All(summary, s =>
        {
            Assert.Equal("completed", s!["outcome"]!.GetValue<string>());
            Assert.True(s["bytes"]!.GetValue<long>() > 0, s.ToJsonString());
            Assert.True(s["durationMs"]!.GetValue<double>() > 0, s.ToJsonString());
            Assert.Equal([stamp1], s["deleted"]!.AsArray().Select(d => d!.GetValue<string>()));
        });
        Assert.Equal(["vda", "vdb"], summary[0]!["disks"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Empty(await vm1.Monitor.QueryJobsAsync());
        Assert.Equal(vm1.Disk("vda").ImagePath, await FileOfAsync(vm1.Monitor, "vda")); // a backup leaves the VM on its disks
    }

    [Fact]
    public async Task Evacuate_storage_moves_every_disk_at_the_given_speed_and_two_instances_never_mirror_more_than_max_at_once()
    {
        var vms = new List<QemuVm>();
        try
        {
            for (var i = 0; i < 4; i++) vms.Add(await QemuVm.StartAsync(new QemuVmOptions { Disks = i == 0 ? 2 : 1, DiskSize = Size, PrefillBytes = 2L << 20 }));
            var from = TestDirs.Root;
            var to = TestDirs.Create("evacuated");
            await using var host = await StartHostAsync(to, [.. vms.Select((vm, i) => new VmSpec($"vm{i + 1}", vm.QmpSocketPath))]);
            Load(host, "copy-disks-pivot");
            var definition = Load(host, "evacuate-storage");

            using var watch = new MirrorWatch(vms);
            const long speed = 1L << 20;
            JsonObject Evacuate(params string[] names) => new()
            {
                ["vms"] = new JsonArray([.. names.Select(n => (JsonNode)n)]),
                ["from"] = from,
                ["to"] = to,
                ["speed"] = speed,
                ["maxMirrors"] = 1,
                ["quiesce"] = "none",
            };
            var a = await host.Engine.StartAsync(definition, Evacuate("vm1", "vm2"));
            var b = await host.Engine.StartAsync(definition, Evacuate("vm3", "vm4"));
            using var cts = new CancellationTokenSource(RunTimeout);
            var done = await Task.WhenAll(host.Engine.WaitForCompletionAsync(a, cts.Token), host.Engine.WaitForCompletionAsync(b, cts.Token));
            await watch.StopAsync();

            Assert.All(done, d => Assert.True(d.Status == InstanceStatus.Completed, Details(d)));
            Assert.Equal(1, watch.MaxConcurrent);
            Assert.Equal(4, watch.MirroredVms.Count); // every VM was seen mirroring, one at a time
            Assert.All(watch.Speeds, s => Assert.Equal(speed, s));
            Assert.NotEmpty(watch.Speeds);
            var journals = await Task.WhenAll(host.Engine.GetJournalAsync(a), host.Engine.GetJournalAsync(b));
            Assert.Contains(journals.SelectMany(j => j), j => j.Kind == "LimitWaiting"); // one instance waited for the other's slot

            foreach (var vm in vms)
            foreach (var disk in vm.Disks)
                Assert.Equal(Path.Combine(to, Path.GetFileName(vm.Dir), Path.GetFileName(disk.ImagePath)), await FileOfAsync(vm.Monitor, disk.Id));
            Assert.Empty(await ((Engine.Storage.Limits.ICountedLimitStore)host.Store).ListLimitHoldersAsync("storage:" + to));
        }
        finally
        {
            foreach (var vm in vms) await vm.DisposeAsync();
        }
    }

    private static JsonObject Backup(string root, params string[] vms) => new()
    {
        ["vms"] = new JsonArray([.. vms.Select(v => (JsonNode)v)]),
        ["backupRoot"] = root,
        ["keep"] = 2,
        ["maxParallel"] = 2,
        ["quiesce"] = "none",
    };

    /// <summary>The next run, once the clock has left the previous run's second (its copies' folder name).</summary>
    private static async Task<WorkflowInstance> RunNextSecondAsync(EmbeddedVirtFlow host, string root, WorkflowInstance previous)
    {
        var next = previous.CreatedAt.UtcDateTime.AddSeconds(1);
        await Eventually.Until(() => Task.FromResult(DateTime.UtcNow >= next.AddTicks(-next.Ticks % TimeSpan.TicksPerSecond)), TimeSpan.FromSeconds(5), "the next second");
        return await RunAsync(host, "nightly-backup", Backup(root));
    }

    private static List<string> Stamps(string root, string vm) =>
        [.. Directory.EnumerateDirectories(Path.Combine(root, vm)).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    private static async Task AssertCopyAsync(string root, string vm, string stamp, string device, int index)
    {
        var copy = Path.Combine(root, vm, stamp, device + ".qcow2");
        Assert.True(File.Exists(copy), copy);
        Assert.True(await QemuImg.HasPatternAsync(copy, "qcow2", QemuVmOptions.PrefillPattern(index), 0, 1L << 20), $"{copy}: the source's data");
    }

    /// <summary>Polls query-block-jobs of every VM (from outside: the tests' own monitors) and keeps what it saw.</summary>
    private sealed class MirrorWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;

        public MirrorWatch(IReadOnlyList<QemuVm> vms) => _task = Task.Run(() => LoopAsync(vms));

        public int MaxConcurrent { get; private set; }

        public ConcurrentBag<long> Speeds { get; } = [];

        public ConcurrentDictionary<int, bool> MirroredVms { get; } = new();

        private async Task LoopAsync(IReadOnlyList<QemuVm> vms)
        {
            while (!_stop.IsCancellationRequested)
            {
                var mirroring = 0;
                for (var i = 0; i < vms.Count; i++)
                {
                    var jobs = (await vms[i].Monitor.ExecuteAsync("query-block-jobs")).AsArray();
                    var mirrors = jobs.Where(j => j?["type"]?.GetValue<string>() == "mirror").ToList();
                    if (mirrors.Count == 0) continue;
                    mirroring++;
                    MirroredVms[i] = true;
                    foreach (var m in mirrors) Speeds.Add(m!["speed"]!.GetValue<long>());
                }
                MaxConcurrent = Math.Max(MaxConcurrent, mirroring);
                try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _task;
        }

        public void Dispose() => _stop.Dispose();
    }
}
