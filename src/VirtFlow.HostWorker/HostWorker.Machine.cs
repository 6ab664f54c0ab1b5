using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// PauseVm, ResumeVm, QueryVm, RawQmp.
public sealed partial class HostWorker
{
    private static async Task<string?> PauseAsync(VmSession session, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        await client.StopAsync(null, ct).ConfigureAwait(false);
        return await RunStateAsync(client, ct).ConfigureAwait(false);
    }

    private static async Task<string?> ResumeAsync(VmSession session, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        await client.ContAsync(null, ct).ConfigureAwait(false);
        return await RunStateAsync(client, ct).ConfigureAwait(false);
    }

    private static async Task<string?> QueryAsync(VmSession session, CancellationToken ct)
    {
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
        var jobs = view.Jobs.Select(j => new JobSnapshot(j.Id, j.Type, j.Status, j.CurrentProgress, j.TotalProgress, j.Error,
            JobOutcome.Of(j, view, session.TargetNodeOf(j.Id), session.SoftCancelled.ContainsKey(j.Id)))).ToList();
        return HostResultJson.Serialize(new QueryVmResult(status.Status, status.Running, view.Devices(), jobs, session.Lease?.Id));
    }

    private async Task<string?> RawAsync(VmSession session, RawQmp command, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(command.Command)) throw BadRequest($"VM {session.Name}: RawQmp names no command");
        JsonObject? arguments = null;
        if (!string.IsNullOrWhiteSpace(command.ArgumentsJson))
        {
            try
            {
                arguments = JsonNode.Parse(command.ArgumentsJson) as JsonObject
                    ?? throw BadRequest($"VM {session.Name}: RawQmp {command.Command}: arguments are not a JSON object");
            }
            catch (JsonException e)
            {
                throw BadRequest($"VM {session.Name}: RawQmp {command.Command}: arguments are not JSON: {e.Message}");
            }
        }
        _qmpPolicy.Check(session.Name, command.Command, arguments);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var reply = await client.ExecuteAsync(command.Command, arguments, null, ct).ConfigureAwait(false);
        return reply.ToJsonString();
    }

    private static async Task<string> RunStateAsync(IQmpClient client, CancellationToken ct)
    {
        var status = await client.QueryStatusAsync(null, ct).ConfigureAwait(false);
        return HostResultJson.Serialize(new VmRunStateResult(status.Status, status.Running));
    }
}
