using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Cli.Demo;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow demo</c>: the main job on the tiny real guest with three disks, through the real engine
/// (<c>workflows/copy-disks-pivot.yaml</c> run embedded: engine, in-memory bus and host worker in one
/// process, a SQLite store) while the guest writes to its disks, then a check that the VM runs on the copies and that
/// every write the guest acknowledged is on them (see <see cref="DemoWorkflow"/>).
/// <c>virtflow demo --qmp</c>: the same move done by hand over QMP, for comparison. It mirrors two disks to new images
/// (<c>auto-finalize:false</c>) while the guest writes, then pivots both all-or-nothing (stop → complete all → all
/// pending → finalize all → cont) and checks the same way. <c>--guest DIR</c>: the tiny guest's files (default
/// <c>$VIRTFLOW_GUEST_DIR</c>, else the repository's <c>.cache/tiny-guest</c>); <c>--keep</c> keeps the folder.
/// </summary>
internal static class DemoCommand
{
    private const string Description =
        "The main job, live on the tiny real guest: its disks moved while it writes, its writes checked on the copies.";

    /// <summary>The verb, its options declared.</summary>
    public static Command Create()
    {
        var qmp = CliOptions.Flag("--qmp", "the same move by hand over QMP, for comparison");
        var guest = CliOptions.NonEmpty(new Option<string?>("--guest")
        {
            HelpName = "DIR",
            Description = "the tiny guest's files, built by ./build.sh demo (default: $VIRTFLOW_GUEST_DIR, else .cache/tiny-guest)",
        });
        var keep = CliOptions.Flag("--keep", "keep the demo's folder");
        var command = new Command("demo", Description) { qmp, guest, keep };
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => parsed.GetValue(qmp)
            ? RunQmpTourAsync(parsed.GetValue(guest), parsed.GetValue(keep), stdout, stderr, ct)
            : DemoWorkflow.RunAsync(parsed.GetValue(guest), parsed.GetValue(keep), stdout, stderr, ct));
        return command;
    }

    private static async Task<int> RunQmpTourAsync(string? guest, bool keep, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!DemoGuestImage.TryFind(guest, out var image, out var guestError))
        {
            await stderr.WriteLineAsync("demo: " + guestError);
            return 2;
        }
        var dir = Path.Combine(Path.GetTempPath(), "virtflow-demo-" + Guid.NewGuid().ToString("N")[..8]);
        const int diskCount = 2;
        const long size = 64L << 20;
        var total = Stopwatch.StartNew();
        try
        {
            stdout.WriteLine($"demo: booting the tiny real guest with {diskCount} disks of {size >> 20} MiB in {dir}");
            await using var vm = await DemoVm.StartAsync(dir, image, diskCount, size, DemoWorkflow.ReadyTimeout, ct);
            var disks = Enumerable.Range(0, diskCount).Select(i => (Device: DemoVm.DeviceId(i), Source: vm.DiskPaths[i], Target: Path.Combine(dir, $"{DemoVm.DeviceId(i)}-copy.qcow2"))).ToList();
            var dataDisks = disks.Skip(1).ToList();
            long writer;
            await using (var agent = await QgaClient.ConnectAsync(vm.QgaSocket, DemoWorkflow.AgentOptions, ct))
                writer = await GuestWriter.StartAsync(agent, dataDisks.Select(d => DemoVm.Serial(d.Device)).ToList(), ct);
            await vm.WaitForSerialCountAsync(GuestWriter.SerialPrefix, 3, DemoWorkflow.ReadyTimeout, ct);
            stdout.WriteLine($"demo: guest up in {total.Elapsed.TotalSeconds:F1} s and writing numbered records to {string.Join(", ", dataDisks.Select(d => d.Device))} and /mnt on vda");

            await using var qmp = await QmpClient.ConnectAsync(vm.QmpSocket, cancellationToken: ct);
            var version = qmp.Greeting.Version;
            stdout.WriteLine($"demo: QMP connected to QEMU {version.Major}.{version.Minor}.{version.Micro}, status {(await qmp.QueryStatusAsync(cancellationToken: ct)).Status}");

            using var events = qmp.Subscribe(e => e.Name.StartsWith("BLOCK_JOB", StringComparison.Ordinal) || e.Name == "JOB_STATUS_CHANGE");
            foreach (var (dev, _, target) in disks)
            {
                await DemoVm.RunToolAsync("qemu-img", ["create", "-q", "-f", "qcow2", target, size.ToString(CultureInfo.InvariantCulture)], ct);
                await qmp.BlockdevAddFileAsync($"tgt-{dev}", target, "qcow2", cancellationToken: ct);
                await qmp.BlockdevMirrorAsync(new MirrorRequest($"copy-{dev}", $"src-{dev}", $"tgt-{dev}") { AutoFinalize = false, AutoDismiss = false }, cancellationToken: ct);
                stdout.WriteLine($"demo: mirroring {dev} -> {target}");
            }

            foreach (var (dev, _, _) in disks)
            {
                var job = $"copy-{dev}";
                await qmp.WaitForJobStatusAsync(job, ["ready"], TimeSpan.FromMinutes(2), ct);
                var info = (await qmp.QueryJobsAsync(cancellationToken: ct)).First(j => j.Id == job);
                stdout.WriteLine($"demo: {job} READY ({info.CurrentProgress >> 20}/{info.TotalProgress >> 20} MiB copied)");
            }

            var atSwitch = vm.LastSerialCount(GuestWriter.SerialPrefix);
            var window = Stopwatch.StartNew();
            await qmp.StopAsync(cancellationToken: ct);
            var jobs = disks.Select(d => $"copy-{d.Device}").ToList();
            try
            {
                await Task.WhenAll(jobs.Select(j => qmp.JobCompleteAsync(j, cancellationToken: ct)));
                await Task.WhenAll(jobs.Select(j => qmp.WaitForJobStatusAsync(j, ["pending"], TimeSpan.FromSeconds(30), ct)));
                var pending = window.Elapsed;
                await Task.WhenAll(jobs.Select(j => qmp.JobFinalizeAsync(j, cancellationToken: ct)));
                await Task.WhenAll(jobs.Select(j => qmp.WaitForJobStatusAsync(j, ["concluded"], TimeSpan.FromSeconds(30), ct)));
                stdout.WriteLine($"demo: pivoted {diskCount} disks all-or-nothing (all pending after {pending.TotalMilliseconds:F1} ms)");
            }
            finally
            {
                // The guest is never left paused.
                await qmp.ContAsync(cancellationToken: CancellationToken.None);
                window.Stop();
                stdout.WriteLine($"demo: VM paused {window.Elapsed.TotalMilliseconds:F1} ms in all, then resumed");
            }
            foreach (var j in jobs) await qmp.JobDismissAsync(j, cancellationToken: ct);
            foreach (var (dev, _, _) in disks) await qmp.BlockdevDelAsync($"src-{dev}", cancellationToken: ct);

            var ok = true;
            foreach (var (dev, _, _) in disks)
            {
                var node = await qmp.FindNodeForDeviceAsync(dev, cancellationToken: ct);
                var onTarget = node == $"tgt-{dev}";
                ok &= onTarget;
                stdout.WriteLine($"demo: {dev} now uses node {node} ({(onTarget ? "the copy" : "NOT the copy")})");
            }
            var status = (await qmp.QueryStatusAsync(cancellationToken: ct)).Status;
            ok &= status == "running";
            stdout.WriteLine($"demo: VM status {status}, jobs left: {(await qmp.QueryJobsAsync(cancellationToken: ct)).Count}");
            var (verified, acked) = await DemoWorkflow.VerifyGuestWritesAsync(vm, writer, atSwitch, dataDisks, stdout, ct);
            ok &= verified;
            stdout.WriteLine(ok
                ? $"demo: done in {total.Elapsed.TotalSeconds:F1} s: the VM moved to its copies; every write the guest acknowledged ({acked}) is on them"
                : "demo: FAILED");
            return ok ? 0 : 1;
        }
        catch (Exception e) when (e is QmpException or InvalidOperationException or TimeoutException or IOException)
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
