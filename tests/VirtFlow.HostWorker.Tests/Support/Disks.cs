using VirtFlow.Contracts;
using VirtFlow.Testing;

namespace VirtFlow.HostWorker.Tests;

/// <summary>Mirror specs for a test VM's disks: job <c>m-{disk}</c>, target <c>{dir}/t-{disk}.{format}</c>.</summary>
internal static class Disks
{
    public const long MiB = 1 << 20;

    public static string Job(string disk) => "m-" + disk;

    public static string TargetNode(string disk) => "vft-" + Job(disk);

    public static string Target(string dir, string disk, string format) => Path.Combine(dir, $"t-{disk}.{format}");

    public static DiskMirrorSpec Spec(string dir, string disk, string format = "qcow2", long speed = 0) =>
        new(disk, Target(dir, disk, format), format, Job(disk), Speed: speed);

    public static string TargetsDir(QemuVm vm)
    {
        var dir = Path.Combine(vm.Dir, "targets");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
