namespace VirtFlow.HostWorker;

/// <summary>What this worker knows of a mirror it started (lost on restart; see <see cref="VirtFlow.Contracts.DismissJobs.Nodes"/>).</summary>
internal sealed record MirrorRecord(string JobId, string Device, string? SourceNode, string TargetNode, string Target, string Format, bool Created, long Speed);
