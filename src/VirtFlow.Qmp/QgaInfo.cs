namespace VirtFlow.Qmp;

/// <summary>The reply of <c>guest-info</c>.</summary>
/// <param name="Version">The agent's version, e.g. <c>7.2.22</c>.</param>
/// <param name="SupportedCommands">Every command the agent knows, with whether it is enabled.</param>
public sealed record QgaInfo(string Version, IReadOnlyList<QgaCommandInfo> SupportedCommands)
{
    /// <summary>True when the agent knows <paramref name="command"/> and has it enabled.</summary>
    public bool IsEnabled(string command) =>
        SupportedCommands.Any(c => c.Enabled && string.Equals(c.Name, command, StringComparison.Ordinal));
}
