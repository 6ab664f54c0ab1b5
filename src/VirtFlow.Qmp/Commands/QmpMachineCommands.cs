namespace VirtFlow.Qmp;

/// <summary>Typed helpers for the VM as a whole: <c>stop</c>, <c>cont</c>, <c>quit</c>, <c>human-monitor-command</c>.</summary>
public static class QmpMachineCommands
{
    /// <summary><c>stop</c>: pauses the vCPUs (block jobs keep running).</summary>
    public static Task StopAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("stop", null, timeout, cancellationToken);

    /// <summary><c>cont</c>: resumes the vCPUs (also starts a VM launched with <c>-S</c>).</summary>
    public static Task ContAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        client.ExecuteAsync("cont", null, timeout, cancellationToken);

    /// <summary>
    /// <c>human-monitor-command</c>: runs an HMP command line and returns its output (often empty).
    /// HMP reports many failures only in that text (e.g. <c>Error: ...</c>): the caller must read it.
    /// </summary>
    public static async Task<string> HumanMonitorCommandAsync(this IQmpClient client, string commandLine, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandLine);
        var reply = await client.ExecuteAsync("human-monitor-command", new() { ["command-line"] = commandLine }, timeout, cancellationToken).ConfigureAwait(false);
        return reply.GetValueKind() == System.Text.Json.JsonValueKind.String ? reply.GetValue<string>() : reply.ToJsonString();
    }

    /// <summary>
    /// <c>quit</c>: QEMU exits. A connection that closes before the reply arrives counts as success.
    /// </summary>
    public static async Task QuitAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ExecuteAsync("quit", null, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (QmpException e) when (e.ErrorClass == QmpErrorClasses.Disconnected && client.State == QmpClientState.Disconnected)
        {
        }
    }
}
