using System.Runtime.InteropServices;

namespace VirtFlow.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM always stop <c>virtflow</c> within 5 s. The first signal cancels the verb's token and
/// gives the verb <see cref="Grace"/> to finish on its own (each verb decides what cancellation means). If it has not
/// by then (something ignores the token: a hung QMP peer, a stuck native call), or at a second signal, one line goes
/// to stderr (<c>virtflow: stopped by SIGTERM before the verb finished</c>) and the process exits with 128 + the
/// signal's number: 130 for SIGINT, 143 for SIGTERM. At the first Ctrl-C it says so on stderr (and that a second one
/// stops at once).
/// </summary>
internal sealed class ProcessSignals : IDisposable
{
    /// <summary>How long the verb may take to finish after the first signal.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(4);

    /// <summary>How long the exit's own handlers may take before the process ends without them.</summary>
    private static readonly TimeSpan ExitHandlers = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _cts;
    private readonly TextWriter _stderr;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private Timer? _grace;
    private int _signals;
    private int _exiting;

    private ProcessSignals(CancellationTokenSource cts, TextWriter stderr)
    {
        _cts = cts;
        _stderr = stderr;
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Handles SIGINT and SIGTERM from now until disposed (when the verb has returned).</summary>
    public static ProcessSignals Install(CancellationTokenSource cts, TextWriter stderr) => new(cts, stderr);

    public void Dispose()
    {
        Interlocked.Exchange(ref _exiting, 1); // the verb finished: a late timer must not exit for it
        _sigint.Dispose();
        _sigterm.Dispose();
        _grace?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var (name, code) = context.Signal == PosixSignal.SIGINT ? ("SIGINT", 130) : ("SIGTERM", 143);
        if (Interlocked.Increment(ref _signals) > 1)
        {
            StartExit(name, code);
            return;
        }

        if (context.Signal == PosixSignal.SIGINT)
            Say("virtflow: interrupted, stopping (Ctrl-C again to stop at once)");

        // Cancelling runs the token's callbacks: not on the signal thread, which must stay free for a second signal.
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                _cts.Cancel();
            }
            catch (Exception e) when (e is ObjectDisposedException or AggregateException)
            {
                // the verb has finished, or one of its callbacks failed: the grace timer still bounds the exit
            }
        }, null);
        _grace = new Timer(_ => StartExit(name, code), null, Grace, Timeout.InfiniteTimeSpan);
    }

    private void StartExit(string signal, int code) =>
        new Thread(() => Exit(signal, code)) { IsBackground = true, Name = "virtflow-exit" }.Start();

    private void Exit(string signal, int code)
    {
        if (Interlocked.Exchange(ref _exiting, 1) == 1)
            return;
        Say($"virtflow: stopped by {signal} before the verb finished");

        // Environment.Exit runs the process-exit handlers, which may wait for the very work that is stuck: bounded.
        if (!OperatingSystem.IsWindows())
        {
            new Thread(() =>
            {
                Thread.Sleep(ExitHandlers);
                HardExit(code);
            }) { IsBackground = true, Name = "virtflow-hard-exit" }.Start();
        }
        Environment.Exit(code);
    }

    private void Say(string line)
    {
        try
        {
            Console.Out.Flush();
            _stderr.WriteLine(line);
            _stderr.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // nowhere to say it: carry on
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void HardExit(int code);
}
