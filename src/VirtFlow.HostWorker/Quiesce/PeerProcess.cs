using System.Globalization;
using System.Net.Sockets;

namespace VirtFlow.HostWorker;

/// <summary>Which process serves a unix socket (<c>SO_PEERCRED</c> of a short probe connection; Linux only).</summary>
internal static class PeerProcess
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The pid and executable name of the process listening on <paramref name="socketPath"/>, or null when it cannot be told.</summary>
    public static async Task<(int Pid, string Executable)?> OfAsync(string socketPath, TimeSpan timeout, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux()) return null;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token).ConfigureAwait(false);
            var cred = new byte[12];
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, cred) < 4) return null;
            var pid = BitConverter.ToInt32(cred, 0);
            return pid <= 0 ? null : (pid, Executable(pid));
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    private static string Executable(int pid)
    {
        var proc = "/proc/" + pid.ToString(CultureInfo.InvariantCulture);
        try
        {
            if (new FileInfo(proc + "/exe").LinkTarget is { } exe) return Path.GetFileName(exe.Replace(" (deleted)", "", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        try
        {
            return File.ReadAllText(proc + "/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
