using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>The job-completes a pause sent right behind its stop (QEMU runs them once the VM is stopped), and when.</summary>
internal sealed class PipelinedCompletes
{
    public List<(string Id, Task Call)> Calls { get; } = [];

    /// <summary>Waits for every call, whatever it answers (for a path that does not look at the answers).</summary>
    public async Task SettleAsync()
    {
        foreach (var (_, call) in Calls)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException)
            {
            }
        }
    }
}
