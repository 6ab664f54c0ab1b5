using System.Text.Json.Nodes;
using VirtFlow.Cli.Commands;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Demo;

/// <summary>
/// The main job, live: a throwaway VM with three disks (raw and qcow2 targets), moved by
/// <c>copy-disks-pivot.yaml</c> through <c>virtflow run</c>'s embedded mode while the "guest" writes, then
/// verified from outside: every device on its copy, no job left, the copies identical to the sources.
/// </summary>
internal static class DemoWorkflow
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var keep = args.Contains("--keep");
        var workflow = FindWorkflow();
        if (workflow is null)
        {
            await stderr.WriteLineAsync("demo: workflows/copy-disks-pivot.yaml not found (run from the repository)");
            return 2;
        }
        var dir = Path.Combine(Path.GetTempPath(), "virtflow-demo-" + Guid.NewGuid().ToString("N")[..8]);
        const int diskCount = 3;
        const long size = 64L << 20;
        try
        {
            await stdout.WriteLineAsync($"demo: a throwaway VM 'demo' with {diskCount} disks of {size >> 20} MiB in {dir}");
            await using var vm = await DemoVm.StartAsync(dir, diskCount, size, ct);
            var formats = new[] { "qcow2", "raw", "qcow2" };
            var disks = new JsonArray();
            var targets = new List<(string Device, string Source, string Target)>();
            for (var i = 0; i < diskCount; i++)
            {
                var dev = DemoVm.DeviceId(i);
                var target = Path.Combine(dir, "moved", $"{dev}.{formats[i]}");
                disks.Add(new JsonObject { ["device"] = dev, ["target"] = target, ["format"] = formats[i] });
                targets.Add((dev, vm.DiskPaths[i], target));
            }
            Directory.CreateDirectory(Path.Combine(dir, "moved"));

            // The "guest" keeps writing while the workflow runs, through the devices (a second QMP monitor).
            using var writerStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writer = Task.Run(() => GuestWritesAsync(vm.WatchSocket, size, writerStop.Token), CancellationToken.None);

            await stdout.WriteLineAsync($"demo: virtflow run {Path.GetRelativePath(Directory.GetCurrentDirectory(), workflow)} (quiesce: pause)");
            var exit = await RunCommand.RunAsync(
            [
                workflow,
                "--vm", $"demo=qmp:{vm.QmpSocket}",
                "--input", "vm=demo",
                "--input", "quiesce=pause",
                "--input", "disks=" + disks.ToJsonString(),
                "--store", $"sqlite:{Path.Combine(dir, "virtflow.db")}",
            ], stdout, stderr, ct);
            await writerStop.CancelAsync();
            var writes = await writer;
            await stdout.WriteLineAsync($"demo: the guest wrote {writes} times during the copy (until the quiesce paused it)");
            if (exit != 0)
            {
                await stderr.WriteLineAsync($"demo: the workflow did not complete (exit {exit})");
                return 1;
            }

            var ok = true;
            await using (var qmp = await QmpClient.ConnectAsync(vm.WatchSocket, cancellationToken: ct))
            {
                foreach (var (dev, _, target) in targets)
                {
                    var file = (await qmp.QueryBlockAsync(cancellationToken: ct))
                        .FirstOrDefault(b => b.Qdev?.Contains($"/{dev}/", StringComparison.Ordinal) == true)?.Inserted?.File;
                    var onCopy = file == target;
                    ok &= onCopy;
                    await stdout.WriteLineAsync($"demo: {dev} runs on {file} ({(onCopy ? "the copy" : "NOT the copy")})");
                }
                var jobs = await qmp.QueryJobsAsync(cancellationToken: ct);
                ok &= jobs.Count == 0;
                await stdout.WriteLineAsync($"demo: VM status {(await qmp.QueryStatusAsync(cancellationToken: ct)).Status}, jobs left in QEMU: {jobs.Count}");
                await qmp.QuitAsync(cancellationToken: ct);
            }
            await vm.WaitForExitAsync(ct);
            foreach (var (dev, source, target) in targets)
            {
                var (code, output) = await DemoVm.RunToolAsync("qemu-img", ["compare", source, target], ct);
                ok &= code == 0;
                await stdout.WriteLineAsync($"demo: qemu-img compare {dev}: {output}");
            }
            await stdout.WriteLineAsync(ok ? "demo: done: three disks moved while the VM ran, all at once, not a byte lost" : "demo: FAILED");
            return ok ? 0 : 1;
        }
        catch (Exception e) when (e is QmpException or InvalidOperationException or TimeoutException or IOException)
        {
            await stderr.WriteLineAsync($"demo: {e.Message}");
            return 1;
        }
        finally
        {
            if (!keep)
            {
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { }
            }
        }
    }

    private static async Task<int> GuestWritesAsync(string socket, long size, CancellationToken ct)
    {
        var count = 0;
        try
        {
            await using var qmp = await QmpClient.ConnectAsync(socket, cancellationToken: ct);
            // A real guest cannot write while its CPUs are stopped: the writes end when the quiesce pauses
            // the VM, so after the switch sources and copies must be identical.
            using var stopped = qmp.Subscribe(e => e.Name == "STOP");
            while (!ct.IsCancellationRequested && !stopped.Reader.TryPeek(out _))
            {
                var dev = DemoVm.DeviceId(count % 3);
                var offset = (count % 16) * (1L << 20) + size / 4;
                var reply = await qmp.HumanMonitorCommandAsync($"qemu-io -d /machine/peripheral/{dev}/virtio-backend \"write -P 0x{0x30 + count % 64:x2} {offset} 64k\"", cancellationToken: ct);
                if (reply.Length == 0) count++;
                await Task.Delay(50, ct);
            }
        }
        catch (OperationCanceledException) { }
        catch (QmpException) { }
        return count;
    }

    private static string? FindWorkflow()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "workflows", "copy-disks-pivot.yaml");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
