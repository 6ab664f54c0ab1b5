namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="PauseVm"/> and <see cref="ResumeVm"/>: QEMU's run state afterwards.</summary>
public sealed record VmRunStateResult(string RunState, bool Running);
