namespace VirtFlow.Contracts;

/// <summary>
/// A command from the engine to the worker of one host. <see cref="CommandId"/> is deterministic
/// (instance, step path, attempt, sequence): a worker that sees the same id twice while it remembers it (its result
/// cache: this process, the last 4096 commands) answers with the result it gave the first time and does nothing again;
/// after a worker restart, the commands that change QEMU's state (mirror, pivot, complete, finalize, cancel, dismiss)
/// check QEMU's state instead (docs/rules.md#r2-command-ids).
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

    /// <summary>
    /// How long the sender waits for the reply (the step's <c>commandTimeout</c>); null for a command nobody waits for (a
    /// compensation). The bus gives the message this time-to-live: a command no worker took by then expires in the broker
    /// instead of running hours later, when the step that sent it has long given up.
    /// </summary>
    public TimeSpan? ReplyWithin { get; init; }
}
