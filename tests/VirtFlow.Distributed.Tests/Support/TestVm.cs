namespace VirtFlow.Distributed.Tests.Support;

/// <summary>A VM as a worker serves it: its name, its monitor (and agent), the folder its targets go to.</summary>
/// <param name="Name">The VM's name in workflows (<c>vm</c> input) and on the worker's command line.</param>
/// <param name="QmpSocket">The monitor left to the worker.</param>
/// <param name="QgaSocket">The guest agent's socket, if any.</param>
/// <param name="StorageRoot">The worker's storage root for it (targets are created there).</param>
public sealed record TestVm(string Name, string QmpSocket, string? QgaSocket, string StorageRoot)
{
    /// <summary><c>name=qmp:PATH[,qga:PATH]</c>.</summary>
    public string Spec => $"{Name}=qmp:{QmpSocket}" + (QgaSocket is null ? "" : $",qga:{QgaSocket}");

    public static TestVm Of(string name, QemuVm vm) => new(name, vm.QmpSocketPath, null, vm.Dir);

    public static TestVm Of(string name, TinyGuest guest) => new(name, guest.QmpSocket, guest.QgaSocket, guest.Dir);
}
