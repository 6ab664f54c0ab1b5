namespace VirtFlow.Contracts;

/// <summary>
/// The answer to a <see cref="HostCommand"/>; <see cref="HostEvent.EventId"/> is <c>{host}/result/{commandId}</c>.
/// A command sent again with the same id gets the same result again.
/// </summary>
public sealed record CommandResult : HostEvent
{
    public required string CommandId { get; init; }
    public required string Vm { get; init; }
    public required bool Success { get; init; }

    /// <summary>The command's type name (<c>MirrorDisks</c>, ...).</summary>
    public string? CommandType { get; init; }

    /// <summary>QEMU's error class or a worker error code (see <see cref="HostErrorClasses"/>).</summary>
    public string? ErrorClass { get; init; }

    /// <summary>A message naming the VM and disk.</summary>
    public string? Error { get; init; }

    /// <summary>The command's result as JSON (see the result types in <c>Results/</c>; <see cref="HostResultJson"/> reads them).</summary>
    public string? ResultJson { get; init; }
}
