namespace VirtFlow.HostWorker;

/// <summary>The last BLOCK_JOB_* event of a job: its numbers, error, and whether it was BLOCK_JOB_CANCELLED.</summary>
internal sealed record BlockJobDetail(string? Type, long Offset, long Length, string? Error, bool Cancelled);
