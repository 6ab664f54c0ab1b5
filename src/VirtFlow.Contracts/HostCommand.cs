namespace VirtFlow.Contracts;

/// <summary>
/// A command from the engine to the worker of one host. <see cref="CommandId"/> is deterministic
/// (instance, step path, attempt, sequence): a worker that sees the same id twice answers with the
/// result it gave the first time and does nothing again (architecture rule 2).
/// </summary>
public abstract record HostCommand
{
    public required string CommandId { get; init; }
    public required string HostId { get; init; }

    /// <summary>The VM's name as the worker knows it (<c>--vm name=qmp:PATH</c>).</summary>
    public required string Vm { get; init; }

    /// <summary>The workflow instance that sent it, for logs and tracing.</summary>
    public string? InstanceId { get; init; }

    public DateTimeOffset IssuedAt { get; init; }
}
