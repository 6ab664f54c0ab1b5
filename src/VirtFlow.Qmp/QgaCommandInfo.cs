namespace VirtFlow.Qmp;

/// <summary>One entry of <c>guest-info</c>'s <c>supported_commands</c>.</summary>
/// <param name="Name">The command, e.g. <c>guest-fsfreeze-freeze</c>.</param>
/// <param name="Enabled">False when the agent was started with the command blocked (or, while frozen, disabled).</param>
/// <param name="SuccessResponse">False for commands that send no reply on success (e.g. <c>guest-shutdown</c>).</param>
public sealed record QgaCommandInfo(string Name, bool Enabled, bool SuccessResponse);
