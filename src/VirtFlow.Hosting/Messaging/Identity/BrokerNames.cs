using System.Text.RegularExpressions;
using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// The names VirtFlow's processes use on RabbitMQ, in one place: queues, MassTransit's message-type exchanges
/// (<c>VirtFlow.Contracts:CommandResult</c>), the per-role users and the temporary queues named after their user, so
/// <c>virtflow broker setup</c> can grant each role exactly its own names.
/// </summary>
public static class BrokerNames
{
    /// <summary>The server's user (full rights in its vhost).</summary>
    public const string ServerUser = "virtflow-server";

    /// <summary>The user of clients that start workflows (<c>virtflow start</c>).</summary>
    public const string ClientUser = "virtflow-client";

    /// <summary>The prefix of every temporary queue (a bus's reply queue, a client's watch queue).</summary>
    public const string TemporaryPrefix = "virtflow-tmp-";

    /// <summary>
    /// A new temporary queue name for <paramref name="user"/>: <c>virtflow-tmp-{32 hex}-{user}</c>, unguessable and ending in
    /// its owner's name, so a permission regex grants a user its own temporary queues only.
    /// </summary>
    public static string TemporaryQueue(string user) => $"{TemporaryPrefix}{Guid.NewGuid():N}-{user}";

    /// <summary>The regex (RabbitMQ permissions) of <paramref name="user"/>'s temporary queues and exchanges.</summary>
    public static string TemporaryPattern(string user) => $"{Regex.Escape(TemporaryPrefix)}[0-9a-f]{{32}}-{Regex.Escape(user)}";

    /// <summary>MassTransit's exchange for message type <paramref name="type"/>: <c>Namespace:Name</c>.</summary>
    public static string ExchangeOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return $"{type.Namespace}:{type.Name}";
    }

    /// <summary>The exchanges of every concrete host event (what a worker publishes).</summary>
    public static IReadOnlyList<string> HostEventExchanges { get; } = VirtFlowBusBuilder.HostEventTypes.Select(ExchangeOf).ToArray();

    /// <summary>The exchanges a client publishes to: <see cref="StartWorkflow"/>, <see cref="GetWorkflowStatus"/>.</summary>
    public static IReadOnlyList<string> ClientRequestExchanges { get; } = [ExchangeOf(typeof(StartWorkflow)), ExchangeOf(typeof(GetWorkflowStatus))];

    /// <summary>The exchanges a client follows instances on: <see cref="WorkflowStatusChanged"/>, <see cref="WorkflowProgress"/>.</summary>
    public static IReadOnlyList<string> ClientWatchExchanges { get; } = [ExchangeOf(typeof(WorkflowStatusChanged)), ExchangeOf(typeof(WorkflowProgress))];
}
