using Microsoft.Extensions.Logging;

namespace VirtFlow.Hosting;

// The worker process's log messages (event ids 5150-5169).
internal static partial class Log
{
    [LoggerMessage(EventId = 5150, EventName = "WorkerHostStarted", Level = LogLevel.Information, Message = "Worker of host {HostId} serving queue {Queue} (VMs: {Vms}) on {Bus}; quiesce leases kept in {StateDirectory}")]
    public static partial void WorkerHostStarted(ILogger logger, string hostId, string queue, string vms, string bus, string stateDirectory);
}
