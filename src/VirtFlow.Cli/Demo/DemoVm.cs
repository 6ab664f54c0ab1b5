using System.Diagnostics;
using System.Globalization;
using VirtFlow.Qmp;

namespace VirtFlow.Cli.Demo;

/// <summary>
/// A throwaway VM for the demo: q35 under TCG with no bootable disk (the firmware idles), N virtio-blk
/// disks with data written by qemu-io, one QMP monitor. Killed on dispose, whatever happened.
/// </summary>
internal sealed class DemoVm : IAsyncDisposable
{
    private readonly Process _process;

    private DemoVm(string dir, Process process, IReadOnlyList<string> disks)
    {
        Dir = dir;
        _process = process;
        DiskPaths = disks;
    }

    public string Dir { get; }
    public string QmpSocket => Path.Combine(Dir, "qmp.sock");

    /// <summary>A second monitor, for watching and guest-like writes while the code under test owns the first.</summary>
    public string WatchSocket => Path.Combine(Dir, "watch.sock");
    public IReadOnlyList<string> DiskPaths { get; }
    public static string DeviceId(int i) => "vd" + (char)('a' + i);

    public static async Task<DemoVm> StartAsync(string dir, int disks, long sizeBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var paths = new List<string>();
        var args = new List<string>
        {
            "-machine", "q35", "-accel", "tcg", "-m", "128", "-nodefaults", "-display", "none",
            "-qmp", $"unix:{Path.Combine(dir, "qmp.sock")},server=on,wait=off",
            "-qmp", $"unix:{Path.Combine(dir, "watch.sock")},server=on,wait=off",
            "-pidfile", Path.Combine(dir, "qemu.pid"),
        };
        for (var i = 0; i < disks; i++)
        {
            var path = Path.Combine(dir, $"{DeviceId(i)}.qcow2");
            await RunToolAsync("qemu-img", ["create", "-q", "-f", "qcow2", path, sizeBytes.ToString(CultureInfo.InvariantCulture)], ct);
            // Real data to copy: a different pattern per disk, in several places.
            var pattern = (0x41 + i).ToString("x2", CultureInfo.InvariantCulture);
            await RunToolAsync("qemu-io", ["-f", "qcow2", "-c", $"write -P 0x{pattern} 0 {sizeBytes / 4}", "-c", $"write -P 0x{pattern} {sizeBytes / 2} 1M", path], ct);
            paths.Add(path);
            args.AddRange(["-blockdev", $"driver=qcow2,node-name=src-{DeviceId(i)},file.driver=file,file.filename={path}",
                "-device", $"virtio-blk-pci,drive=src-{DeviceId(i)},id={DeviceId(i)},share-rw=on"]);
        }

        var psi = new ProcessStartInfo("qemu-system-x86_64") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start qemu-system-x86_64");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var vm = new DemoVm(dir, process, paths);
        var sw = Stopwatch.StartNew();
        while (!File.Exists(vm.QmpSocket))
        {
            if (process.HasExited) throw new InvalidOperationException($"qemu-system-x86_64 exited with {process.ExitCode} at start");
            if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("QEMU did not open its QMP socket within 30 s");
            await Task.Delay(20, ct);
        }
        return vm;
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
}
