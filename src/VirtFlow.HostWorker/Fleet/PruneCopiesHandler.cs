using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// PruneCopies: deletes the oldest dated copies of one folder, keeping the newest <see cref="PruneCopies.Keep"/>. It deletes
/// only inside a storage root (docs/rules.md#r10-no-trust): the folder must be an absolute path without <c>.</c> or
/// <c>..</c> parts that lies strictly inside a root once its links are resolved; only subdirectories named as copies
/// (<see cref="CopyNames"/>) that are not links count, and each is checked again just before it is deleted. A worker with
/// no storage roots (embedded mode) refuses: it has no folder it may delete in.
/// </summary>
internal sealed class PruneCopiesHandler(WorkerContext context) : HostLevelHandler<PruneCopies, PruneCopiesResult>
{
    protected override Task<PruneCopiesResult?> HandleAsync(IReadOnlyDictionary<string, VmSession> sessions, PruneCopies command, CancellationToken ct)
    {
        var vm = command.Vm;
        var directory = command.Directory;
        if (command.Keep < 1) throw CommandChecks.BadRequest($"VM {vm}: PruneCopies keeps {command.Keep} copies; keep at least 1");
        var resolved = RootedFolder.Check(context.Roots, vm, nameof(PruneCopies), directory);
        if (!Directory.Exists(resolved)) return Task.FromResult<PruneCopiesResult?>(new PruneCopiesResult(resolved, [], []));

        var copies = new DirectoryInfo(resolved).EnumerateDirectories()
            .Where(d => d.LinkTarget is null && CopyNames.IsCopy(d.Name))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();
        var doomed = copies.Take(Math.Max(0, copies.Count - command.Keep)).ToList();
        var deleted = new List<CopyFolder>();
        foreach (var copy in doomed)
        {
            ct.ThrowIfCancellationRequested();
            // Checked again right before the delete: the folder's path, links resolved, must still be inside this one.
            if (context.Roots.Inside(copy.FullName) != Path.Combine(resolved, copy.Name))
                throw new HostCommandException(HostErrorClasses.OutsideStorageRoots, $"VM {vm}: copy {copy.FullName} no longer lies inside {resolved}; nothing more deleted");
            var bytes = SizeOf(copy);
            copy.Delete(recursive: true);
            Log.CopyDeleted(context.Logger, vm, copy.FullName, bytes);
            deleted.Add(new CopyFolder(copy.Name, bytes));
        }
        var kept = copies.Skip(doomed.Count).Select(c => new CopyFolder(c.Name, SizeOf(c))).ToList();
        return Task.FromResult<PruneCopiesResult?>(new PruneCopiesResult(resolved, kept, deleted));
    }

    /// <summary>The bytes of the regular files under <paramref name="folder"/> (links are not followed).</summary>
    private static long SizeOf(DirectoryInfo folder) =>
        folder.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .OfType<FileInfo>()
            .Sum(f => f.Length);
}
