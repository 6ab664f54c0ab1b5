namespace VirtFlow.Testing;

/// <summary>A disk of a <see cref="QemuVm"/>.</summary>
/// <param name="Id">The device id, e.g. <c>vda</c>.</param>
/// <param name="NodeName">The source node name, e.g. <c>src-vda</c>.</param>
/// <param name="ImagePath">The source image file.</param>
/// <param name="Format"><c>qcow2</c> or <c>raw</c>.</param>
/// <param name="Size">Virtual size in bytes.</param>
public sealed record QemuVmDisk(string Id, string NodeName, string ImagePath, string Format, long Size)
{
    /// <summary>The QOM path of the device's block backend: <c>/machine/peripheral/vda/virtio-backend</c>.</summary>
    public string QdevPath => $"/machine/peripheral/{Id}/virtio-backend";
}
