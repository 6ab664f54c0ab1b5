using VirtFlow.Engine.Definitions.Triggers;
using YamlDotNet.RepresentationModel;

namespace VirtFlow.Engine.Definitions.Parsing;

internal sealed partial class WorkflowReader
{
    /// <summary>The fields of a <c>message</c> trigger (<see cref="MessageTriggerSettings"/>).</summary>
    private void CheckMessageTrigger(Dictionary<string, Field> f, YamlMappingNode map)
    {
        if (!f.TryGetValue("messageType", out var m))
            Error(map, "a message trigger needs 'messageType' (the message that starts the workflow, e.g. StartMigration)");
        else if (ReadString(m.Value, "'messageType'") is { } type && MessageTriggerSettings.Problem(type) is { } problem)
            Error(m.Value, problem);
        if (f.TryGetValue("dedupeWindow", out var w) && ReadString(w.Value, "'dedupeWindow'") is { } window
            && MessageTriggerSettings.WindowProblem(window) is { } windowProblem)
            Error(w.Value, windowProblem);
        if (f.TryGetValue("correlationId", out var c))
            ReadString(c.Value, "'correlationId'");
    }
}
