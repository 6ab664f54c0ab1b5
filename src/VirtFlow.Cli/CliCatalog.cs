using VirtFlow.Engine.Activities;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Cli;

/// <summary>The activities the CLI validates workflows against: the same registry the engine runs (built-ins and VM activities).</summary>
public static class CliCatalog
{
    /// <summary>The engine's catalog. Regenerate the schema after a change: <c>virtflow validate --write-schema workflows/schema/workflow.schema.json</c>.</summary>
    public static IActivityCatalog Default { get; } = VirtFlowActivities.CreateRegistry();
}
