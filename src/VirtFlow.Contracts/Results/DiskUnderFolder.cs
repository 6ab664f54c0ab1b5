namespace VirtFlow.Contracts;

/// <summary>A disk whose image lies under the folder <see cref="InspectVm.Under"/> names.</summary>
/// <param name="Device">The disk's device id (<c>vda</c>).</param>
/// <param name="File">Its image, links resolved.</param>
/// <param name="RelativePath">The image's path relative to the folder (<c>vda.qcow2</c>, <c>sub/vdb.qcow2</c>).</param>
/// <param name="Format">The image's format (<c>qcow2</c>, <c>raw</c>).</param>
/// <param name="VirtualSize">Its virtual size in bytes.</param>
public sealed record DiskUnderFolder(string Device, string File, string RelativePath, string Format, long VirtualSize);
