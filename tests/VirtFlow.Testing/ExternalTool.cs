using System.Diagnostics;

namespace VirtFlow.Testing;

/// <summary>Runs a short-lived host tool (qemu-img, qemu-io) and captures its output.</summary>
public static class ExternalTool
{
    /// <summary>The outcome of a tool run.</summary>
    /// <param name="ExitCode">The process exit code.</param>
    /// <param name="StdOut">Everything written to stdout.</param>
    /// <param name="StdErr">Everything written to stderr.</param>
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>stdout and stderr, trimmed, for messages.</summary>
        public string Output => (StdOut + StdErr).Trim();
    }

    /// <summary>Runs <paramref name="file"/>; kills it after <paramref name="timeout"/> (default 60 s) and throws.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested) throw;
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <paramref name="file"/> and throws unless it exits with 0.</summary>
    public static async Task<Result> RunCheckedAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var list = args.ToList();
        var result = await RunAsync(file, list, timeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', list)} exited with {result.ExitCode}: {result.Output}");
        return result;
    }
}
