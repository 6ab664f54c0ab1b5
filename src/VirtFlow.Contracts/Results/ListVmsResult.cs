namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="ListVms"/>: every VM the worker serves, by name.</summary>
public sealed record ListVmsResult(IReadOnlyList<ListedVm> Vms);

/// <summary>One VM a worker serves.</summary>
/// <param name="Name">Its name as the worker knows it.</param>
/// <param name="Connected">Whether its QMP socket is connected now.</param>
/// <param name="Disks">Its disks with a medium (empty when not connected).</param>
public sealed record ListedVm(string Name, bool Connected, IReadOnlyList<InspectedDisk> Disks);
