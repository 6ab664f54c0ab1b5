namespace VirtFlow.Hosting.Messaging.Identity;

/// <summary>
/// Which RabbitMQ user may speak for a host: the engine takes a host event or command result only when the message's
/// <c>user_id</c> (set by the sender, validated by the broker against the connection's user) is the worker user of the
/// event's <c>HostId</c> (<see cref="WorkerUserPattern"/>) or the engine's own user. Off on the in-memory bus (one process).
/// </summary>
public sealed class WorkerIdentityOptions
{
    /// <summary>The placeholder for the host id in <see cref="WorkerUserPattern"/>.</summary>
    public const string HostPlaceholder = "{host}";

    /// <summary>The default worker user name: <c>virtflow-worker-{host}</c> (what <c>virtflow broker setup</c> creates).</summary>
    public const string DefaultWorkerUserPattern = "virtflow-worker-" + HostPlaceholder;

    /// <summary>
    /// Accept host events from any sender (development only: <c>--trust-any-worker</c>). Default false: a forged event
    /// (no <c>user_id</c>, or another host's worker) is dropped and logged.
    /// </summary>
    public bool TrustAnyWorker { get; set; }

    /// <summary>The RabbitMQ user of a host's worker, <see cref="HostPlaceholder"/> standing for the host id.</summary>
    public string WorkerUserPattern { get; set; } = DefaultWorkerUserPattern;

    /// <summary>The worker user of <paramref name="hostId"/>.</summary>
    public string WorkerUser(string hostId) => WorkerUserPattern.Replace(HostPlaceholder, hostId, StringComparison.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when the pattern cannot name a host's user.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkerUserPattern) || !WorkerUserPattern.Contains(HostPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException($"--worker-user '{WorkerUserPattern}' must contain {HostPlaceholder} (e.g. {DefaultWorkerUserPattern})");
    }
}
