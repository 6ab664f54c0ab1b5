namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>Deterministic ids (docs/rules.md#r2-command-ids): the same instance, step path, attempt and n-th command give the same id, also after a crash.</summary>
internal static class CommandIds
{
    public static string For(string instanceId, string stepPath, int attempt, int sequence) =>
        $"{instanceId}:{stepPath}:{attempt}:{sequence}";

    /// <summary>The id of a child instance started by a <c>call</c> step.</summary>
    public static string Child(string instanceId, string stepPath, int attempt) =>
        $"{instanceId}.{stepPath.Replace('/', '.')}.{attempt}";
}
