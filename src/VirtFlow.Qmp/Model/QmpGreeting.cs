namespace VirtFlow.Qmp;

/// <summary>What QEMU announced when the connection opened.</summary>
/// <param name="Version">QEMU's version.</param>
/// <param name="Capabilities">The capabilities QEMU offers (e.g. <c>oob</c>); the client enables none of them.</param>
public sealed record QmpGreeting(QmpVersion Version, IReadOnlyList<string> Capabilities);
