namespace VirtFlow.Contracts;

/// <summary>Naming conventions shared by the engine and the workers, whatever the transport.</summary>
public static class HostQueues
{
    /// <summary>The queue a host's commands are sent to: <c>virtflow-host-{hostId}</c>.</summary>
    public static string CommandQueue(string hostId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostId);
        return "virtflow-host-" + hostId;
    }
}
