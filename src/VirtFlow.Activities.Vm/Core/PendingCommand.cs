using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.Core;

/// <summary>
/// The command an activity waits for the reply of, kept in its state (<c>state.command</c>) so a resume (or a
/// re-run after a crash) knows what the reply answers.
/// </summary>
/// <param name="Id">The command id (the outbox id): the reply's key is <c>reply:{Id}</c>.</param>
/// <param name="MessageType">The contract name, e.g. <c>MirrorDisks</c>.</param>
/// <param name="Purpose">What the activity sent it for (its phase), e.g. <c>mirror</c> or <c>rollback-cancel</c>.</param>
/// <param name="Host">The host it went to.</param>
/// <param name="Timeout">How long the reply may take, as written (<c>2m</c>).</param>
/// <param name="DueAt">When the wait for the reply ends.</param>
internal sealed record PendingCommand(string Id, string MessageType, string Purpose, string Host, string Timeout, DateTimeOffset DueAt)
{
    private const string StateKey = "command";

    public void Save(JsonObject state) => state[StateKey] = new JsonObject
    {
        ["id"] = Id,
        ["messageType"] = MessageType,
        ["purpose"] = Purpose,
        ["host"] = Host,
        ["timeout"] = Timeout,
        ["dueAt"] = DueAt.ToString("O"),
    };

    public static PendingCommand? Read(JsonObject state)
    {
        if (state[StateKey] is not JsonObject o) return null;
        return new PendingCommand(
            Str(o, "id"), Str(o, "messageType"), Str(o, "purpose"), Str(o, "host"), Str(o, "timeout"),
            DateTimeOffset.Parse(Str(o, "dueAt"), System.Globalization.CultureInfo.InvariantCulture));
    }

    public static void Clear(JsonObject state) => state.Remove(StateKey);

    private static string Str(JsonObject o, string name) => o[name]?.GetValue<string>() ?? "";
}
