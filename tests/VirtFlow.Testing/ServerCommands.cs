using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtFlow.Testing;

/// <summary>Runs the command-line tools that start and stop test servers (initdb, pg_ctl, rabbitmqctl, ...).</summary>
public static class ServerCommands
{
    /// <summary>True when the test host runs as root (servers then run as their own system user).</summary>
    public static bool IsRoot { get; } = Environment.UserName == "root";

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> (as <paramref name="asUser"/> through runuser when
    /// the host is root) and returns its exit code and combined output; throws on timeout (after killing it).
    /// </summary>
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args, TimeSpan timeout,
        string? asUser = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
        };
        if (asUser is not null && IsRoot)
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(asUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
        }
        else
        {
            psi.FileName = file;
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}: {output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary><see cref="Run"/>, throwing with the tool's output when it exits non-zero.</summary>
    public static string RunChecked(string file, IEnumerable<string> args, TimeSpan timeout,
        string? asUser = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var argList = args.ToList();
        var (code, output) = Run(file, argList, timeout, asUser, environment);
        if (code != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', argList)} exited with {code}: {output.Trim()}");
        return output;
    }

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Gives <paramref name="path"/> (recursively) to a system user, when running as root.</summary>
    public static void GiveTo(string path, string user)
    {
        if (IsRoot) RunChecked("chown", ["-R", $"{user}:{user}", path], TimeSpan.FromSeconds(30));
    }

    /// <summary>Records this test host as the owner of a server folder (so a later run can stop what a killed one left).</summary>
    public static void WriteOwner(string dir) =>
        File.WriteAllText(Path.Combine(dir, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when <paramref name="dir"/>'s owner.pid names a test host that is gone (not this one).</summary>
    public static bool OwnerIsGone(string dir)
    {
        var file = Path.Combine(dir, "owner.pid");
        try
        {
            if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), out var owner)) return false;
            return owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Deletes a folder, ignoring what cannot be deleted.</summary>
    public static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
