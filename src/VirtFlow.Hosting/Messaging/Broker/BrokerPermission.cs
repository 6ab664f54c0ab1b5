namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>One user's RabbitMQ permissions in a vhost: three regexes over exchange and queue names.</summary>
/// <param name="User">The RabbitMQ user.</param>
/// <param name="Configure">Names it may declare and delete.</param>
/// <param name="Write">Names it may publish to (exchanges) and bind to (queues, destination exchanges).</param>
/// <param name="Read">Names it may consume from (queues) and bind from (exchanges).</param>
public sealed record BrokerPermission(string User, string Configure, string Write, string Read);
