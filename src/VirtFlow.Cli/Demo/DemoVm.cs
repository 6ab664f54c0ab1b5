using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VirtFlow.Cli.Demo;

/// <summary>
/// A throwaway VM for the demo: the tiny real guest (docs tiny-guest.md) under TCG with N virtio-blk disks. The
/// first, <c>vda</c>, is a copy of the guest's ext4 disk (its init mounts it on /mnt and keeps writing to it); the
/// others are blank data disks with some data to copy. Every disk carries the serial <c>vf-DEVICE</c>, so the guest
/// finds each by name. A real qemu-ga answers on <see cref="QgaSocket"/>; two QMP monitors. Killed on dispose,
/// whatever happened, also when the process is ended
/// before the dispose runs.
/// </summary>
internal sealed partial class DemoVm : IAsyncDisposable
{
    /// <summary>The line the guest's init prints on the serial console once qemu-ga holds its port.</summary>
    public const string ReadyMarker = "VIRTFLOW-GUEST-READY";

    /// <summary>The line the guest's init prints before powering off when it cannot set itself up.</summary>
    public const string FailedMarker = "VIRTFLOW-GUEST-FAILED";

    private readonly Process _process;

    private DemoVm(string dir, Process process, IReadOnlyList<string> disks)
    {
        Dir = dir;
        _process = process;
        DiskPaths = disks;
        // A second Ctrl-C, or a verb stuck past the grace time, ends the process without running this object's dispose
        // (ProcessSignals): the exit handlers still run, so QEMU goes with it.
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public string Dir { get; }
    public string QmpSocket => Path.Combine(Dir, "qmp.sock");

    /// <summary>A second monitor, for the demo's own checks while the code under test owns the first.</summary>
    public string WatchSocket => Path.Combine(Dir, "watch.sock");

    /// <summary>The host side of the guest agent's virtio-serial port (one client at a time).</summary>
    public string QgaSocket => Path.Combine(Dir, "qga.sock");

    /// <summary>The guest's serial console.</summary>
    public string SerialLog => Path.Combine(Dir, "serial.log");

    public IReadOnlyList<string> DiskPaths { get; }
    public static string DeviceId(int i) => "vd" + (char)('a' + i);

    /// <summary>The serial number the guest sees for a device (<c>/sys/block/vdX/serial</c>).</summary>
    public static string Serial(string device) => "vf-" + device;

    /// <summary>Boots the guest and waits until its agent is ready (its init's marker on the serial console).</summary>
    public static async Task<DemoVm> StartAsync(string dir, DemoGuestImage image, int disks, long sizeBytes, TimeSpan readyTimeout, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        // This process owns the QEMU it starts (it kills it when it ends). Said beside the pid file, as the test
        // harness says it of its own: a cleaner of QEMUs left by dead processes (QemuProcess.KillLeftovers, run by a
        // test host in the same folder tree) must not kill a demo that is running.
        File.WriteAllText(Path.Combine(dir, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var paths = new List<string>();
        var args = new List<string>
        {
            "-machine", "q35", "-accel", "tcg", "-m", "256", "-smp", "1", "-nodefaults", "-display", "none",
            "-kernel", image.Kernel, "-initrd", image.Initrd, "-append", "console=ttyS0 quiet panic=-1",
            "-serial", "file:" + Path.Combine(dir, "serial.log"), "-no-reboot",
            "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off",
            "-qmp", $"unix:{Path.Combine(dir, "watch.sock")},server=on,wait=off",
            "-pidfile", Path.Combine(dir, "qemu.pid"),
        };
        for (var i = 0; i < disks; i++)
        {
            var dev = DeviceId(i);
            var path = Path.Combine(dir, $"{dev}.qcow2");
            if (i == 0)
            {
                // A private copy of the guest's ext4 disk (never the cached one itself).
                File.Copy(image.BaseDisk, path);
            }
            else
            {
                await RunToolAsync("qemu-img", ["create", "-q", "-f", "qcow2", path, sizeBytes.ToString(CultureInfo.InvariantCulture)], ct);
                // Data to copy, written into the image before QEMU starts: a different pattern per disk, in two places.
                var pattern = (0x41 + i).ToString("x2", CultureInfo.InvariantCulture);
                await RunToolAsync("qemu-io", ["-f", "qcow2", "-c", $"write -P 0x{pattern} 0 {sizeBytes / 4}", "-c", $"write -P 0x{pattern} {sizeBytes / 2} 1M", path], ct);
            }
            paths.Add(path);
            args.AddRange(["-blockdev", $"driver=qcow2,node-name=src-{dev},file.driver=file,file.filename={path}",
                "-device", $"virtio-blk-pci,drive=src-{dev},id={dev},share-rw=on,serial={Serial(dev)}"]);
        }
        args.AddRange(["-device", "virtio-serial-pci",
            "-chardev", $"socket,path={Path.Combine(dir, "qga.sock")},server=on,wait=off,id=qga0",
            "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0"]);

        var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start qemu-system-x86_64");
        var qemuLog = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (qemuLog) qemuLog.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (qemuLog) qemuLog.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var vm = new DemoVm(dir, process, paths);
        try
        {
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var serial = vm.ReadSerialLog();
                if (serial.Contains(ReadyMarker, StringComparison.Ordinal)) break;
                if (serial.Contains(FailedMarker, StringComparison.Ordinal))
                    throw new InvalidOperationException($"the tiny guest failed to start; its console:\n{Tail(serial)}");
                if (process.HasExited)
                    throw new InvalidOperationException($"qemu-system-x86_64 exited with {process.ExitCode} before the guest was ready: {Tail(Locked(qemuLog))}{Tail(serial)}");
                if (sw.Elapsed > readyTimeout)
                    throw new TimeoutException($"the tiny guest was not ready within {readyTimeout.TotalSeconds:0} s; its console:\n{Tail(serial)}");
                await Task.Delay(50, ct);
            }
            return vm;
        }
        catch
        {
            await vm.DisposeAsync();
            throw;
        }
    }

    /// <summary>The serial console's output so far.</summary>
    public string ReadSerialLog()
    {
        try
        {
            using var stream = new FileStream(SerialLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <summary>The last <c>PREFIX=N</c> line on the serial console (complete lines only), or 0.</summary>
    public long LastSerialCount(string prefix)
    {
        long last = 0;
        foreach (Match m in SerialCount().Matches(ReadSerialLog()))
            if (m.Groups[1].Value == prefix) last = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return last;
    }

    /// <summary>Polls the serial console until the last <c>PREFIX=N</c> reaches <paramref name="atLeast"/>.</summary>
    public async Task<long> WaitForSerialCountAsync(string prefix, long atLeast, TimeSpan timeout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var n = LastSerialCount(prefix);
            if (n >= atLeast) return n;
            if (_process.HasExited) throw new InvalidOperationException($"QEMU exited while waiting for {prefix}={atLeast} on the guest's console");
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"the guest's console showed {prefix}={n}, not {atLeast}, within {timeout.TotalSeconds:0} s:\n{Tail(ReadSerialLog())}");
            await Task.Delay(50, ct);
        }
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public static async Task<(int Exit, string Output)> RunToolAsync(string tool, IEnumerable<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + tool);
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        var output = (await stdout + await stderr).Trim();
        if (p.ExitCode != 0 && tool != "qemu-img")
            throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {output}");
        return (p.ExitCode, output);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }

    private void KillOnExit(object? sender, EventArgs e)
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    private static string Locked(System.Text.StringBuilder b)
    {
        lock (b) return b.ToString();
    }

    private static string Tail(string text) => text.Length > 3000 ? "..." + text[^3000..] : text;

    [GeneratedRegex(@"^([a-z-]+)=([0-9]+)\r?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SerialCount();
}
