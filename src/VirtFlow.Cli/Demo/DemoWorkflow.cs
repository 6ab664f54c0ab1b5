using System.Text.Json.Nodes;
using VirtFlow.Cli.Commands;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Demo;

/// <summary>
/// The main job, live: the tiny real guest with three disks (raw and qcow2 targets), moved by
/// <c>copy-disks-pivot.yaml</c> through <c>virtflow run</c>'s embedded mode while the guest itself writes to them
/// (<see cref="GuestWriter"/>), with a real guest-agent freeze for the switch; then verified: every device on its copy,
/// no job left, the guest thawed and running and still writing, and every write it acknowledged read back from the
/// copies, inside the guest (from the disks, caches dropped) and from the image files once QEMU has exited.
/// </summary>
internal static class DemoWorkflow
{
    /// <summary>Runs the demo on the guest in <paramref name="guest"/> (null: the default one); <paramref name="keep"/> keeps its folder.</summary>
    public static async Task<int> RunAsync(string? guest, bool keep, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (!DemoGuestImage.TryFind(guest, out var image, out var guestError))
        {
            await stderr.WriteLineAsync("demo: " + guestError);
            return 2;
        }
        var workflow = FindWorkflow();
        if (workflow is null)
        {
            await stderr.WriteLineAsync("demo: workflows/copy-disks-pivot.yaml not found (run from the repository)");
            return 2;
        }
        var dir = Path.Combine(Path.GetTempPath(), "virtflow-demo-" + Guid.NewGuid().ToString("N")[..8]);
        const int diskCount = 3;
        const long size = 64L << 20;
        var total = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await stdout.WriteLineAsync($"demo: booting the tiny real guest ({image.Dir}) as VM 'demo' with {diskCount} disks of {size >> 20} MiB in {dir}");
            await using var vm = await DemoVm.StartAsync(dir, image, diskCount, size, ReadyTimeout, ct);
            await stdout.WriteLineAsync($"demo: guest up in {total.Elapsed.TotalSeconds:F1} s: Linux with qemu-ga, its ext4 on vda mounted at /mnt, vdb and vdc raw data disks");
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
            var dataDisks = targets.Skip(1).ToList();
            var serials = dataDisks.Select(t => DemoVm.Serial(t.Device)).ToList();

            // The guest writes through virtio from now on; the agent's channel takes one client, so let it go before the run.
            long writer;
            await using (var agent = await QgaClient.ConnectAsync(vm.QgaSocket, AgentOptions, ct))
                writer = await GuestWriter.StartAsync(agent, serials, ct);
            await vm.WaitForSerialCountAsync(GuestWriter.SerialPrefix, 3, ReadyTimeout, ct);
            await stdout.WriteLineAsync($"demo: the guest writes numbered 4 KiB records to {string.Join(" and ", dataDisks.Select(d => d.Device))} (O_DIRECT + fsync) and lines to /mnt/virtflow-writes on vda, on its own (guest-exec)");

            await stdout.WriteLineAsync($"demo: virtflow run {Path.GetRelativePath(Directory.GetCurrentDirectory(), workflow)} (quiesce: fsfreeze through the guest agent)");
            var before = vm.LastSerialCount(GuestWriter.SerialPrefix);
            var exit = await RunCommand.RunAsync(
            [
                workflow,
                "--vm", $"demo=qmp:{vm.QmpSocket},qga:{vm.QgaSocket}",
                "--input", "vm=demo",
                "--input", "quiesce=fsfreeze",
                "--input", "disks=" + disks.ToJsonString(),
                "--store", $"sqlite:{Path.Combine(dir, "virtflow.db")}",
            ], stdout, stderr, ct);
            var atEnd = vm.LastSerialCount(GuestWriter.SerialPrefix);
            await stdout.WriteLineAsync($"demo: the guest acknowledged {atEnd - before} writes while the workflow ran ({before} before it)");
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
                var status = (await qmp.QueryStatusAsync(cancellationToken: ct)).Status;
                ok &= status == "running";
                await stdout.WriteLineAsync($"demo: VM status {status}, jobs left in QEMU: {jobs.Count}");
            }

            var (verified, acked) = await VerifyGuestWritesAsync(vm, writer, atEnd, dataDisks.Select(d => (d.Device, d.Source, d.Target)).ToList(), stdout, ct);
            ok &= verified;
            await stdout.WriteLineAsync(ok
                ? $"demo: done in {total.Elapsed.TotalSeconds:F1} s: three disks moved while the guest wrote to them, frozen only for the switch; every write it acknowledged ({acked} per disk) is on the copies"
                : "demo: FAILED");
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

    /// <summary>
    /// After the switch: the guest thawed and still writing; then stops its writer, reads every acknowledged record
    /// back inside the guest (from the copies, caches dropped), quits QEMU and reads them from the image files.
    /// Returns whether all of it holds, and how many records the guest acknowledged per disk.
    /// </summary>
    internal static async Task<(bool Ok, int Acked)> VerifyGuestWritesAsync(DemoVm vm, long writer, long atSwitch,
        IReadOnlyList<(string Device, string Source, string Target)> dataDisks, TextWriter stdout, CancellationToken ct)
    {
        var ok = true;
        var serials = dataDisks.Select(d => DemoVm.Serial(d.Device)).ToList();
        int acked;
        IReadOnlyList<(string Place, IReadOnlyList<int> Records)> inGuest;
        await using (var agent = await QgaClient.ConnectAsync(vm.QgaSocket, AgentOptions, ct))
        {
            var freeze = await agent.GetFsFreezeStatusAsync(cancellationToken: ct);
            ok &= freeze == QgaFsFreezeStatus.Thawed;
            // Still writing after the switch: to the copies only.
            var after = await vm.WaitForSerialCountAsync(GuestWriter.SerialPrefix, atSwitch + 3, ReadyTimeout, ct);
            await stdout.WriteLineAsync($"demo: guest agent: filesystems {freeze.ToString().ToLowerInvariant()}; the guest goes on writing (record {after} acknowledged)");
            acked = await GuestWriter.StopAsync(agent, writer, ReadyTimeout, ct);
            inGuest = await GuestWriter.ReadBackInGuestAsync(agent, serials, acked, ct);
        }
        await stdout.WriteLineAsync($"demo: the guest stopped writing: {acked} records acknowledged on each of {string.Join(", ", dataDisks.Select(d => d.Device))} and /mnt/virtflow-writes");
        foreach (var (place, records) in inGuest)
        {
            var complete = GuestWriter.IsComplete(records, acked);
            ok &= complete;
            var name = place.StartsWith("vf-", StringComparison.Ordinal) ? "/dev/" + place[3..] : place + " (on vda)";
            await stdout.WriteLineAsync($"demo: read back in the guest from {name} on its copy: records {GuestWriter.Describe(records, acked)} ({(complete ? "all there" : "NOT all there")})");
        }
        ok &= inGuest.Count == serials.Count + 1;

        await using (var qmp = await QmpClient.ConnectAsync(vm.WatchSocket, cancellationToken: ct))
            await qmp.QuitAsync(cancellationToken: ct);
        await vm.WaitForExitAsync(ct);
        foreach (var (dev, source, target) in dataDisks)
        {
            var onCopy = await GuestWriter.ReadBackFromImageAsync(target, acked, ct);
            var onSource = await GuestWriter.ReadBackFromImageAsync(source, acked, ct);
            var complete = GuestWriter.IsComplete(onCopy, acked);
            ok &= complete;
            await stdout.WriteLineAsync($"demo: {dev} image files after QEMU exited: the copy holds records {GuestWriter.Describe(onCopy, acked)}; "
                + $"the source {GuestWriter.Describe(onSource, onSource.Count)} (written before the switch; the rest went to the copy only)");
        }
        return (ok, acked);
    }

    /// <summary>How long a boot or the guest's writer may take: 120 s (TCG on a loaded host can be slow).</summary>
    internal static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);

    internal static readonly QgaClientOptions AgentOptions = new() { ConnectTimeout = TimeSpan.FromSeconds(20), DefaultTimeout = TimeSpan.FromSeconds(30) };

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
