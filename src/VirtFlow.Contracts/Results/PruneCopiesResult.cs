namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="PruneCopies"/>.</summary>
/// <param name="Directory">The folder pruned, links resolved.</param>
/// <param name="Kept">The copies left, oldest first, with their size.</param>
/// <param name="Deleted">The copies deleted, oldest first, with the size they had.</param>
public sealed record PruneCopiesResult(string Directory, IReadOnlyList<CopyFolder> Kept, IReadOnlyList<CopyFolder> Deleted);

/// <summary>One dated copy: its folder's name and the bytes of the files in it.</summary>
public sealed record CopyFolder(string Name, long Bytes);
