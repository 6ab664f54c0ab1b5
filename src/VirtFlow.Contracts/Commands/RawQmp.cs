namespace VirtFlow.Contracts;

/// <summary>Any QMP command, for scripting. <see cref="ArgumentsJson"/> is a JSON object or null; the result is QEMU's <c>return</c>.</summary>
public sealed record RawQmp : HostCommand
{
    public required string Command { get; init; }
    public string? ArgumentsJson { get; init; }
}
