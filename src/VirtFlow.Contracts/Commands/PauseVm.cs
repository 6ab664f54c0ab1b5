namespace VirtFlow.Contracts;

/// <summary>QMP <c>stop</c> (pause the VM's CPUs; block jobs keep running).</summary>
public sealed record PauseVm : HostCommand;
