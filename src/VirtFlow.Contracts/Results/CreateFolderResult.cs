namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="CreateFolder"/>: the folder (resolved under the storage root) and whether it was made now.</summary>
public sealed record CreateFolderResult(string Path, bool Created);
