using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>The MassTransit address of a host's command queue: commands are SENT there (<c>queue:virtflow-host-{hostId}</c>).</summary>
public static class HostQueueAddress
{
    public static Uri For(string hostId) => new("queue:" + HostQueues.CommandQueue(hostId));
}
