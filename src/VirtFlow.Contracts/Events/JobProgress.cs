namespace VirtFlow.Contracts;

/// <summary>Copy progress of a job, sent while jobs run (every progress interval, only when it changed).</summary>
public sealed record JobProgress : HostEvent
{
    public required string Vm { get; init; }
    public required string JobId { get; init; }
    public string? Status { get; init; }
    public long Offset { get; init; }
    public long Length { get; init; }
    public long Speed { get; init; }
}
