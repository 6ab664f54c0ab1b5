using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>RawQmp: one QMP command, as the policy allows it (<see cref="HostWorkerOptions.AllowQmp"/>), its reply as the result.</summary>
internal sealed class RawQmpHandler(WorkerContext context) : HostCommandHandler<RawQmp, JsonNode>
{
    protected override async Task<JsonNode?> HandleAsync(VmSession session, RawQmp command, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(command.Command)) throw CommandChecks.BadRequest($"VM {session.Name}: RawQmp names no command");
        JsonObject? arguments = null;
        if (!string.IsNullOrWhiteSpace(command.ArgumentsJson))
        {
            try
            {
                arguments = JsonNode.Parse(command.ArgumentsJson) as JsonObject
                    ?? throw CommandChecks.BadRequest($"VM {session.Name}: RawQmp {command.Command}: arguments are not a JSON object");
            }
            catch (JsonException e)
            {
                throw CommandChecks.BadRequest($"VM {session.Name}: RawQmp {command.Command}: arguments are not JSON: {e.Message}");
            }
        }
        context.QmpPolicy.Check(session.Name, command.Command, arguments);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var reply = await client.ExecuteAsync(command.Command, arguments, null, ct).ConfigureAwait(false);
        return reply;
    }
}
