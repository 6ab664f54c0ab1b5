namespace VirtFlow.Contracts;

/// <summary>Attached to a failed <see cref="MirrorDisks"/>: what the worker undid so that nothing is left.</summary>
/// <param name="Device">The disk that failed.</param>
/// <param name="CancelledJobs">Jobs cancelled and dismissed.</param>
/// <param name="RemovedNodes">Target nodes removed.</param>
/// <param name="DeletedFiles">Image files this command had created, deleted.</param>
/// <param name="Problems">Anything the rollback could not undo (empty when it all went).</param>
public sealed record MirrorFailure(string Device, IReadOnlyList<string> CancelledJobs, IReadOnlyList<string> RemovedNodes, IReadOnlyList<string> DeletedFiles, IReadOnlyList<string> Problems);
