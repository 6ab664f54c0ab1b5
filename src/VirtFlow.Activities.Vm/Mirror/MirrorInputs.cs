using System.Text.Json.Serialization;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Mirror;

/// <summary>vm.mirror's inputs.</summary>
internal sealed record MirrorInputs(
    string Host,
    string Vm,
    [property: Input("The disks to copy: [{ device, target, format, reuse }]. device: the disk's id (vda) or block node name; "
        + "target: the new image's path on the host; format: qcow2 or raw; reuse: true to use an existing image as is.", Required = true)]
    IReadOnlyList<DiskInput> Disks,
    [property: Input("Copy speed limit in bytes per second per job, 0 for none.", Default = 0, Min = 0)] long Speed,
    [property: Input("background: copy in the background (guest writes are copied later); "
        + "write-blocking: guest writes also go to the target before they complete (converges on busy disks, slows writes).", Default = "background")]
    CopyMode CopyMode,
    TimeSpan CommandTimeout) : VmInputs(Host, Vm, CommandTimeout);

/// <summary>An item of vm.mirror's <c>disks</c>.</summary>
internal sealed record DiskInput(
    [property: Input("The disk's device id (vda) or block node name.", Required = true)] string Device,
    [property: Input("The target image's path on the host.", Required = true)] string Target,
    [property: Input("", Default = "qcow2", Enum = ["qcow2", "raw"])] string Format,
    [property: Input("Use an existing target image as is.", Default = false)] bool Reuse);

/// <summary>How a mirror copies (QEMU's <c>copy-mode</c>).</summary>
internal enum CopyMode
{
    /// <summary>Guest writes are copied later.</summary>
    Background,

    /// <summary>Guest writes also go to the target before they complete.</summary>
    [JsonStringEnumMemberName("write-blocking")]
    WriteBlocking,
}
