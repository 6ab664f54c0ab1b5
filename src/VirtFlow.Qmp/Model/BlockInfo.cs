using System.Text.Json.Serialization;

namespace VirtFlow.Qmp;

/// <summary>One entry of <c>query-block</c>: a block backend and what it holds.</summary>
/// <param name="Device">The legacy drive name; empty for devices attached with <c>-blockdev</c>.</param>
/// <param name="Qdev">The device's QOM path, e.g. <c>/machine/peripheral/vda/virtio-backend</c>.</param>
/// <param name="Locked">Whether the medium is locked.</param>
/// <param name="Removable">Whether the medium is removable.</param>
/// <param name="Inserted">The node the device uses now, or null when empty.</param>
public sealed record BlockInfo(string Device, string? Qdev, bool Locked, bool Removable, BlockInserted? Inserted);

/// <summary>The medium of a <see cref="BlockInfo"/>: the node a device uses.</summary>
/// <param name="NodeName">The node name, e.g. <c>src-vda</c> (after a pivot: the mirror target's).</param>
/// <param name="File">The image file name.</param>
/// <param name="Drv">The format driver, e.g. <c>qcow2</c>.</param>
/// <param name="Ro">Read-only.</param>
/// <param name="BackingFileDepth">Length of the backing chain.</param>
/// <param name="Image">Image details, when QEMU gave them.</param>
public sealed record BlockInserted(
    string NodeName,
    string File,
    string Drv,
    bool Ro,
    [property: JsonPropertyName("backing_file_depth")] int BackingFileDepth,
    BlockImageInfo? Image);

/// <summary>Image details as QEMU reports them.</summary>
/// <param name="Filename">The image file.</param>
/// <param name="Format">Its format, e.g. <c>qcow2</c>.</param>
/// <param name="VirtualSize">The guest-visible size in bytes.</param>
/// <param name="ActualSize">Bytes allocated on the host, when known.</param>
public sealed record BlockImageInfo(string Filename, string Format, long VirtualSize, long? ActualSize);

/// <summary>One entry of <c>query-named-block-nodes</c>.</summary>
/// <param name="NodeName">The node name (auto-generated ones start with <c>#</c>).</param>
/// <param name="Drv">The driver, e.g. <c>qcow2</c> or <c>file</c>.</param>
/// <param name="File">The image file name.</param>
/// <param name="Ro">Read-only.</param>
/// <param name="Image">Image details.</param>
public sealed record BlockNodeInfo(string NodeName, string Drv, string File, bool Ro, BlockImageInfo? Image);
