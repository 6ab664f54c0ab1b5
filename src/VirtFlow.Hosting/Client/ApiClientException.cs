namespace VirtFlow.Hosting.Client;

/// <summary>A server's refusal or an unreachable server, as one line (the problem's detail, or what failed).</summary>
public sealed class ApiClientException(string message, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, or null when the server was not reached.</summary>
    public int? Status { get; } = status;
}
