using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>CreateFolder: makes a folder (and its parents) strictly inside a storage root (<see cref="RootedFolder"/>).</summary>
internal sealed class CreateFolderHandler(WorkerContext context) : HostLevelHandler<CreateFolder, CreateFolderResult>
{
    protected override Task<CreateFolderResult?> HandleAsync(IReadOnlyDictionary<string, VmSession> sessions, CreateFolder command, CancellationToken ct)
    {
        var resolved = RootedFolder.Check(context.Roots, command.Vm, nameof(CreateFolder), command.Path);
        var created = !Directory.Exists(resolved);
        if (created)
        {
            Directory.CreateDirectory(resolved);
            Log.FolderCreated(context.Logger, command.Vm, resolved);
        }
        return Task.FromResult<CreateFolderResult?>(new CreateFolderResult(resolved, created));
    }
}
