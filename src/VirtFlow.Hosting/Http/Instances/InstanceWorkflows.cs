using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// The workflow a start names: by name (the version the server starts by name) or by name and version, from what the
/// server serves (<see cref="ServerWorkflows"/>; the workflow catalog's published versions once it has one).
/// </summary>
internal static class InstanceWorkflows
{
    public static WorkflowDefinition? Find(ServerWorkflows workflows, string name, int? version) =>
        workflows.Loaded.Find(name, version);

    /// <summary>"unknown workflow 'x' (this server serves: a, b)" or "workflow 'x' has no version 3 (...)".</summary>
    public static string NotFound(ServerWorkflows workflows, string name, int? version)
    {
        var names = workflows.Names.Count == 0 ? "none" : string.Join(", ", workflows.Names);
        if (version is { } v && workflows.Loaded.Find(name) is not null)
        {
            var versions = workflows.Loaded.Workflows.Where(w => w.Definition.Name == name).Select(w => w.Definition.Version).Order();
            return $"workflow '{name}' has no version {v} (it has: {string.Join(", ", versions)})";
        }
        return $"unknown workflow '{name}' (this server serves: {names})";
    }
}
