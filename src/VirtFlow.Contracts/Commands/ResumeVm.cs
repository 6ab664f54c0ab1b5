namespace VirtFlow.Contracts;

/// <summary>QMP <c>cont</c>.</summary>
public sealed record ResumeVm : HostCommand;
