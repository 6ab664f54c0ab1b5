using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace VirtFlow.Testing;

/// <summary>
/// The real <c>virtflow</c> executable as a child process (<c>dotnet virtflow.dll VERB ...</c>), its output captured, killable
/// with SIGKILL. Disposing kills it if it still runs.
/// </summary>
public sealed class VirtFlowProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private VirtFlowProcess(Process process, IReadOnlyList<string> args)
    {
        _process = process;
        Args = args;
    }

    /// <summary>The arguments after <c>virtflow</c>.</summary>
    public IReadOnlyList<string> Args { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    /// <summary>virtflow.dll: beside the tests (the CLI is a project reference), or <c>$VIRTFLOW_CLI_DLL</c>.</summary>
    public static string DllPath { get; } = FindDll();

    public static VirtFlowProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts it with extra environment variables.</summary>
    public static VirtFlowProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["VIRTFLOW_HOME"] = Path.Combine(TestDirs.Root, "virtflow-home");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var started = new VirtFlowProcess(process, args);
        process.OutputDataReceived += (_, e) => started.Append(started._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(started._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs to the end (bounded) and returns the exit code.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        await using var process = Start(args);
        var code = await process.WaitForExitAsync(timeout);
        return (code, process.Stdout, process.Stderr);
    }

    /// <summary>Waits for the exit (bounded: then kills it and fails).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"virtflow {string.Join(' ', Args)} did not exit within {timeout.TotalSeconds:0}s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no handler runs, nothing is flushed, leases stay as they were.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the graceful stop (handlers run); does not wait.</summary>
    public void Terminate()
    {
        if (_process.HasExited) return;
        if (SendSignal(_process.Id, 15) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGINT, as Ctrl-C in a terminal sends it; does not wait.</summary>
    public void Interrupt()
    {
        if (_process.HasExited) return;
        if (SendSignal(_process.Id, 2) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Waits until stdout has a line starting with <paramref name="prefix"/> (bounded); fails with the output when the
    /// process exits first.
    /// </summary>
    public async Task WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        bool Found() => Stdout.Split('\n').Any(l => l.StartsWith(prefix, StringComparison.Ordinal));
        await Eventually.Until(() => Task.FromResult(Found() || _process.HasExited), timeout, $"a line '{prefix}...' from {this}");
        if (!Found()) throw new InvalidOperationException($"exited ({_process.ExitCode}) before printing '{prefix}': {this}");
    }

    /// <summary>Waits until stdout holds <paramref name="text"/> (bounded).</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.Until(() => Task.FromResult(Stdout.Contains(text, StringComparison.Ordinal) || _process.HasExited), timeout, $"'{text}' from virtflow {string.Join(' ', Args)}");

    /// <summary>Waits until stderr (the log) holds <paramref name="text"/> (bounded).</summary>
    public Task WaitForErrorAsync(string text, TimeSpan timeout) =>
        Eventually.Until(() => Task.FromResult(Stderr.Contains(text, StringComparison.Ordinal) || _process.HasExited), timeout, $"'{text}' in the log of virtflow {string.Join(' ', Args)}");

    public override string ToString() => $"virtflow {string.Join(' ', Args)}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null) return;
        lock (_gate) target.Append(line).Append('\n');
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static string FindDll()
    {
        if (Environment.GetEnvironmentVariable("VIRTFLOW_CLI_DLL") is { Length: > 0 } given) return given;
        var beside = Path.Combine(AppContext.BaseDirectory, "virtflow.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "virtflow.runtimeconfig.json"))) return beside;
        throw new FileNotFoundException($"virtflow.dll (with its runtimeconfig) not found in {AppContext.BaseDirectory}; set VIRTFLOW_CLI_DLL");
    }
}
