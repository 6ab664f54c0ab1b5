using System.Diagnostics;
using System.Globalization;
using VirtFlow.Cli.Demo;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow demo</c>: the main job on a throwaway VM with three disks, through the real engine
/// (<c>workflows/copy-disks-pivot.yaml</c> run embedded: engine, in-memory bus and host worker in one
/// process, a SQLite store), then a check that the VM runs on the copies and that they are identical.
/// <c>virtflow demo --qmp</c>: the same move done by hand over QMP, for comparison. It mirrors two disks to new images
/// (<c>auto-finalize:false</c>), writes through the guest's devices while the copy runs, then pivots
/// both all-or-nothing (stop → complete all → all pending → finalize all → cont) and proves that the
/// VM runs on the copies and that they are identical.
/// </summary>
internal static class DemoCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        args.Contains("--qmp") ? RunQmpTourAsync(args, stdout, stderr, ct) : DemoWorkflow.RunAsync(args, stdout, stderr, ct);

    private static async Task<int> RunQmpTourAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var keep = args.Contains("--keep");
        var dir = Path.Combine(Path.GetTempPath(), "virtflow-demo-" + Guid.NewGuid().ToString("N")[..8]);
        const int diskCount = 2;
        const long size = 64L << 20;
        var total = Stopwatch.StartNew();
        try
        {
            stdout.WriteLine($"demo: starting a throwaway VM with {diskCount} disks of {size >> 20} MiB in {dir}");
            await using var vm = await DemoVm.StartAsync(dir, diskCount, size, ct);
            await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, cancellationToken: ct);
            var version = qmp.Greeting.Version;
            stdout.WriteLine($"demo: QMP connected to QEMU {version.Major}.{version.Minor}.{version.Micro}, status {(await qmp.QueryStatusAsync(cancellationToken: ct)).Status}");

            using var events = qmp.Subscribe(e => e.Name.StartsWith("BLOCK_JOB", StringComparison.Ordinal) || e.Name == "JOB_STATUS_CHANGE");
            var targets = new List<string>();
            for (var i = 0; i < diskCount; i++)
            {
                var dev = DemoVm.DeviceId(i);
                var target = Path.Combine(dir, $"{dev}-copy.qcow2");
                await DemoVm.RunToolAsync("qemu-img", ["create", "-q", "-f", "qcow2", target, size.ToString(CultureInfo.InvariantCulture)], ct);
                await qmp.BlockdevAddFileAsync($"tgt-{dev}", target, "qcow2", cancellationToken: ct);
                await qmp.BlockdevMirrorAsync(new MirrorRequest($"copy-{dev}", $"src-{dev}", $"tgt-{dev}") { AutoFinalize = false, AutoDismiss = false }, cancellationToken: ct);
                targets.Add(target);
                stdout.WriteLine($"demo: mirroring {dev} -> {target}");
            }

            // The guest keeps writing while the copy runs: through the device, so it lands on whatever image the device uses.
            await qmp.HumanMonitorCommandAsync($"qemu-io -d /machine/peripheral/vda/virtio-backend \"write -P 0x7a {size - (2 << 20)} 1M\"", cancellationToken: ct);
            stdout.WriteLine("demo: guest-like write of 1 MiB to vda during the mirror");

            for (var i = 0; i < diskCount; i++)
            {
                var job = $"copy-{DemoVm.DeviceId(i)}";
                await qmp.WaitForJobStatusAsync(job, ["ready"], TimeSpan.FromMinutes(2), ct);
                var info = (await qmp.QueryJobsAsync(cancellationToken: ct)).First(j => j.Id == job);
                stdout.WriteLine($"demo: {job} READY ({info.CurrentProgress >> 20}/{info.TotalProgress >> 20} MiB copied)");
            }

            var window = Stopwatch.StartNew();
            await qmp.StopAsync(cancellationToken: ct);
            var jobs = Enumerable.Range(0, diskCount).Select(i => $"copy-{DemoVm.DeviceId(i)}").ToList();
            await Task.WhenAll(jobs.Select(j => qmp.JobCompleteAsync(j, cancellationToken: ct)));
            await Task.WhenAll(jobs.Select(j => qmp.WaitForJobStatusAsync(j, ["pending"], TimeSpan.FromSeconds(30), ct)));
            var pending = window.Elapsed;
            await Task.WhenAll(jobs.Select(j => qmp.JobFinalizeAsync(j, cancellationToken: ct)));
            await Task.WhenAll(jobs.Select(j => qmp.WaitForJobStatusAsync(j, ["concluded"], TimeSpan.FromSeconds(30), ct)));
            await qmp.ContAsync(cancellationToken: ct);
            window.Stop();
            stdout.WriteLine($"demo: pivoted {diskCount} disks all-or-nothing; VM paused {window.Elapsed.TotalMilliseconds:F1} ms (all pending after {pending.TotalMilliseconds:F1} ms)");
            foreach (var j in jobs) await qmp.JobDismissAsync(j, cancellationToken: ct);
            for (var i = 0; i < diskCount; i++) await qmp.BlockdevDelAsync($"src-{DemoVm.DeviceId(i)}", cancellationToken: ct);

            var ok = true;
            for (var i = 0; i < diskCount; i++)
            {
                var dev = DemoVm.DeviceId(i);
                var node = await qmp.FindNodeForDeviceAsync(dev, cancellationToken: ct);
                var onTarget = node == $"tgt-{dev}";
                ok &= onTarget;
                stdout.WriteLine($"demo: {dev} now uses node {node} ({(onTarget ? "the copy" : "NOT the copy")})");
            }
            stdout.WriteLine($"demo: VM status {(await qmp.QueryStatusAsync(cancellationToken: ct)).Status}, jobs left: {(await qmp.QueryJobsAsync(cancellationToken: ct)).Count}");
            await qmp.QuitAsync(cancellationToken: ct);
            await vm.WaitForExitAsync(ct);

            for (var i = 0; i < diskCount; i++)
            {
                var (exit, output) = await DemoVm.RunToolAsync("qemu-img", ["compare", vm.DiskPaths[i], targets[i]], ct);
                ok &= exit == 0;
                stdout.WriteLine($"demo: qemu-img compare {Path.GetFileName(vm.DiskPaths[i])} {Path.GetFileName(targets[i])}: {output}");
            }
            stdout.WriteLine(ok ? $"demo: done in {total.Elapsed.TotalSeconds:F1} s: the VM moved to its copies without losing a byte" : "demo: FAILED");
            return ok ? 0 : 1;
        }
        catch (QmpException e)
        {
            stderr.WriteLine($"demo: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            stderr.WriteLine($"demo: {e.Message}");
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
}
