using System.Text.Json.Nodes;

namespace VirtFlow.Distributed.Tests.Support;

/// <summary>A disk to move and where: the <c>disks</c> input of the shipped workflows.</summary>
public sealed record DiskMove(string Device, string Target, string Format = "qcow2")
{
    public JsonObject ToJson() => new() { ["device"] = Device, ["target"] = Target, ["format"] = Format };

    /// <summary>Moves for the VM's disks into its folder, <c>PREFIX-vda.qcow2</c>, ...</summary>
    public static DiskMove[] For(QemuVm vm, string prefix, params string[] devices) =>
        devices.Select(d => new DiskMove(d, Path.Combine(vm.Dir, $"{prefix}-{d}.qcow2"))).ToArray();

    /// <summary>The inputs of copy-disks-pivot, point-in-time-copy and the test workflows.</summary>
    public static JsonObject Inputs(string host, string vm, string quiesce, IEnumerable<DiskMove> disks) => new()
    {
        ["host"] = host,
        ["vm"] = vm,
        ["quiesce"] = quiesce,
        ["disks"] = new JsonArray(disks.Select(d => (JsonNode)d.ToJson()).ToArray()),
    };
}
