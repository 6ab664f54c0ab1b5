using System.Text.RegularExpressions;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>
/// Who may do what on the broker, as RabbitMQ permissions (one vhost per VirtFlow deployment):
/// <list type="bullet">
/// <item>the server (<see cref="BrokerNames.ServerUser"/>): everything in the vhost; the only one that can send commands;</item>
/// <item>the worker of host H (<c>virtflow-worker-H</c>): declares, reads and writes its own queue <c>virtflow-host-H</c>
/// (and MassTransit's <c>_error</c>/<c>_skipped</c> queues beside it), publishes the host event types, and its own
/// temporary queue; nothing else (no other host's queue, no command type, no server queue);</item>
/// <item>clients (<see cref="BrokerNames.ClientUser"/>): publish <c>StartWorkflow</c>, <c>GetWorkflowStatus</c> and message
/// triggers' messages (<c>virtflow.msg.{messageType}</c>, not their <c>_error</c> exchanges), bind their
/// own temporary queues to <c>WorkflowStatusChanged</c>/<c>WorkflowProgress</c> and read them.</item>
/// </list>
/// MassTransit declares every exchange it publishes to, so a role has <c>configure</c> on those exchanges too (it could
/// delete one; the server declares them again when it starts). Names: <see cref="BrokerNames"/>.
/// </summary>
public static class BrokerRoles
{
    /// <summary>The worker user of <paramref name="hostId"/> (<see cref="WorkerIdentityOptions.DefaultWorkerUserPattern"/>).</summary>
    public static string WorkerUser(string hostId) => new WorkerIdentityOptions().WorkerUser(hostId);

    /// <summary>The server: everything in the vhost.</summary>
    public static BrokerPermission Server(string user = BrokerNames.ServerUser) => new(user, ".*", ".*", ".*");

    /// <summary>The worker of <paramref name="hostId"/>.</summary>
    public static BrokerPermission Worker(string hostId, string? user = null)
    {
        user ??= WorkerUser(hostId);
        var queue = Regex.Escape(HostQueues.CommandQueue(hostId)) + "(_error|_skipped)?";
        var temporary = BrokerNames.TemporaryPattern(user);
        var events = string.Join('|', BrokerNames.HostEventExchanges.Select(Regex.Escape));
        var own = $"^({queue}|{temporary}|{events})$";
        return new BrokerPermission(user, own, own, $"^({queue}|{temporary})$");
    }

    /// <summary>Clients that start workflows and follow them.</summary>
    public static BrokerPermission Client(string user = BrokerNames.ClientUser)
    {
        var temporary = BrokerNames.TemporaryPattern(user);
        var requests = string.Join('|', BrokerNames.ClientRequestExchanges.Select(Regex.Escape));
        var watch = string.Join('|', BrokerNames.ClientWatchExchanges.Select(Regex.Escape));
        // Message triggers (virtflow.msg.{messageType}): write only, the server declares them; never their _error exchanges.
        var messages = Triggers.MessageTriggerNames.ExchangePattern;
        return new BrokerPermission(user,
            $"^({temporary}|{requests}|{watch})$",
            $"^({temporary}|{requests}|{messages})$",
            $"^({temporary}|{watch})$");
    }
}
