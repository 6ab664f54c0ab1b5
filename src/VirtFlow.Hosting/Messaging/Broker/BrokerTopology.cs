using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>
/// The exchanges, queues and bindings VirtFlow's processes use, declared exactly as MassTransit declares them (fanout,
/// durable exchanges; durable queues, the host queues with <c>x-single-active-consumer</c>; message-type exchange → endpoint
/// exchange → queue), so that they exist before any process runs: a start or an event sent before the first server is kept,
/// and narrow users never need to create what others consume.
/// </summary>
public sealed class BrokerTopology
{
    private BrokerTopology(IReadOnlyList<string> exchanges, IReadOnlyList<(string Name, bool SingleActiveConsumer)> queues,
        IReadOnlyList<(string Source, string Destination, bool ToQueue)> bindings)
    {
        Exchanges = exchanges;
        Queues = queues;
        Bindings = bindings;
    }

    /// <summary>Fanout, durable exchanges.</summary>
    public IReadOnlyList<string> Exchanges { get; }

    /// <summary>Durable queues.</summary>
    public IReadOnlyList<(string Name, bool SingleActiveConsumer)> Queues { get; }

    /// <summary>Bindings with an empty routing key, to a queue or to an exchange.</summary>
    public IReadOnlyList<(string Source, string Destination, bool ToQueue)> Bindings { get; }

    /// <summary>The topology of a deployment serving <paramref name="hosts"/>.</summary>
    public static BrokerTopology For(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var exchanges = new List<string>();
        var queues = new List<(string, bool)>();
        var bindings = new List<(string, string, bool)>();
        void Endpoint(string queue, bool singleActive, IEnumerable<string> messageExchanges)
        {
            exchanges.Add(queue);
            queues.Add((queue, singleActive));
            bindings.Add((queue, queue, true));
            foreach (var type in messageExchanges)
            {
                exchanges.Add(type);
                bindings.Add((type, queue, false));
            }
        }
        Endpoint(VirtFlowBus.EngineQueue, false, BrokerNames.HostEventExchanges);
        Endpoint(WorkflowQueues.Start, false, [BrokerNames.ExchangeOf(typeof(StartWorkflow))]);
        Endpoint(WorkflowQueues.Status, false, [BrokerNames.ExchangeOf(typeof(GetWorkflowStatus))]);
        foreach (var host in hosts) Endpoint(HostQueues.CommandQueue(host), true, []);
        exchanges.AddRange(BrokerNames.ClientWatchExchanges);
        return new BrokerTopology(exchanges.Distinct(StringComparer.Ordinal).ToArray(), queues, bindings);
    }
}
