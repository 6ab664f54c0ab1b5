using MassTransit;

namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// Decides whether a host event may reach the engine, from the RabbitMQ <c>user_id</c> it arrived with: the broker refuses a
/// publish whose <c>user_id</c> is not the connection's user, so the property names who really sent it. Accepted: the worker
/// user of the event's host, or the engine's own user (its own answers, e.g. a command it could not read; and single-user
/// set-ups, where every process shares one login and the broker cannot tell them apart anyway).
/// </summary>
public sealed class HostEventSenders
{
    private readonly WorkerIdentityOptions _options;
    private readonly string? _ownUser;
    private readonly bool _enforced;

    /// <param name="transport">The bus: the check runs on RabbitMQ only (the in-memory bus never leaves the process).</param>
    /// <param name="options">Who may speak for a host.</param>
    public HostEventSenders(BusTransport transport, WorkerIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _ownUser = transport is RabbitMqBusTransport rabbit ? rabbit.UserName : null;
        _enforced = transport is RabbitMqBusTransport && !options.TrustAnyWorker;
    }

    /// <summary>False when every sender is trusted (in-memory bus, or <see cref="WorkerIdentityOptions.TrustAnyWorker"/>).</summary>
    public bool IsEnforced => _enforced;

    /// <summary>The user expected to publish the events of <paramref name="hostId"/>.</summary>
    public string ExpectedUser(string hostId) => _options.WorkerUser(hostId);

    /// <summary>Whether <paramref name="userId"/> (the message's validated <c>user_id</c>, null when absent) may speak for <paramref name="hostId"/>.</summary>
    public bool Accepts(string hostId, string? userId)
    {
        if (!_enforced) return true;
        if (string.IsNullOrEmpty(userId)) return false;
        return string.Equals(userId, _ownUser, StringComparison.Ordinal)
            || (!string.IsNullOrEmpty(hostId) && string.Equals(userId, ExpectedUser(hostId), StringComparison.Ordinal));
    }

    /// <summary>The <c>user_id</c> property of the RabbitMQ message behind <paramref name="context"/>; null when absent or not RabbitMQ.</summary>
    public static string? UserIdOf(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ReceiveContext is RabbitMqBasicConsumeContext rabbit && rabbit.Properties.IsUserIdPresent() ? rabbit.Properties.UserId : null;
    }
}
