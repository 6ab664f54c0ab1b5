namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>One role's user after <see cref="BrokerSetup.RunAsync(BrokerSetupOptions, CancellationToken)"/>.</summary>
/// <param name="Role">server, worker-H, client.</param>
/// <param name="User">Its RabbitMQ user.</param>
/// <param name="Uri">Its connection URI; with the password only when it was set now (created or rotated).</param>
/// <param name="State">created, rotated, or kept (existing user, password unchanged).</param>
public sealed record BrokerRoleUser(string Role, string User, Uri Uri, string State);
