using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace VirtFlow.Testing;

/// <summary>
/// A qemu-system-x86_64 process owned by a test. Every started process is registered and killed
/// on dispose, on process exit, and (through its pid file under <see cref="TestDirs.Root"/>) by the
/// next run's <see cref="KillLeftovers"/> or by build.sh's sweep if the test host itself was killed.
/// </summary>
public sealed class QemuProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, QemuProcess> Live = new();
    private readonly Process _process;
    private int _disposed;

    static QemuProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Live.Values) p.KillNow();
        };
    }

    private QemuProcess(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
    }

    public string WorkDir { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string LogPath => Path.Combine(WorkDir, "qemu.log");

    public static string Binary { get; } = Environment.GetEnvironmentVariable("VIRTFLOW_QEMU") is { Length: > 0 } b ? b : "qemu-system-x86_64";

    /// <summary>Starts QEMU with <paramref name="args"/>; stdout and stderr go to <see cref="LogPath"/>.</summary>
    public static QemuProcess Start(string workDir, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("-pidfile");
        psi.ArgumentList.Add(Path.Combine(workDir, "qemu.pid"));
        File.WriteAllText(Path.Combine(workDir, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Binary);
        var qp = new QemuProcess(process, workDir);
        Live[process.Id] = qp;
        var log = new StreamWriter(qp.LogPath, append: true) { AutoFlush = true };
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => { lock (gate) log.Flush(); };
        return qp;
    }

    /// <summary>Waits until <paramref name="path"/> exists (a socket QEMU creates), or throws with QEMU's log.</summary>
    public async Task WaitForFileAsync(string path, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"QEMU exited with {_process.ExitCode} before creating {path}: {ReadLog()}");
            if (sw.Elapsed > timeout)
                throw new TimeoutException($"QEMU did not create {path} within {timeout}: {ReadLog()}");
            await Task.Delay(10);
        }
    }

    public string ReadLog()
    {
        try { return File.Exists(LogPath) ? File.ReadAllText(LogPath) : ""; }
        catch (IOException) { return ""; }
    }

    /// <summary>Freezes QEMU with SIGSTOP: its sockets stay open but nothing answers (for timeout and disconnect tests).</summary>
    public void Freeze() => Signal(19);

    /// <summary>Resumes a frozen QEMU with SIGCONT.</summary>
    public void Thaw() => Signal(18);

    /// <summary>Kills QEMU with SIGKILL now (kill -9, also works on a frozen process) and does not wait.</summary>
    public void KillHard() => Signal(9);

    private void Signal(int signal)
    {
        if (_process.HasExited) throw new InvalidOperationException($"QEMU {Pid} has exited");
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Waits for QEMU to exit by itself (after a QMP quit, say).</summary>
    public Task WaitForExitAsync(CancellationToken ct = default) => _process.WaitForExitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        KillNow();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) { }
        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private void KillNow()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>
    /// Kills QEMU processes left by an earlier test host that died (their pid files under the test root):
    /// only where the owning test host (owner.pid beside it) is gone and the pid still is a qemu-system process.
    /// </summary>
    public static void KillLeftovers()
    {
        if (!Directory.Exists(TestDirs.Root)) return;
        foreach (var pidFile in Directory.EnumerateFiles(TestDirs.Root, "qemu.pid", SearchOption.AllDirectories))
        {
            try
            {
                if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) continue;
                if (Live.ContainsKey(pid)) continue;
                var ownerFile = Path.Combine(Path.GetDirectoryName(pidFile)!, "owner.pid");
                if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner)
                    && owner != Environment.ProcessId && Directory.Exists($"/proc/{owner}"))
                    continue;
                var comm = $"/proc/{pid}/comm";
                if (File.Exists(comm) && File.ReadAllText(comm).StartsWith("qemu-system", StringComparison.Ordinal))
                    Process.GetProcessById(pid).Kill();
                File.Delete(pidFile);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException) { }
        }
    }
}
