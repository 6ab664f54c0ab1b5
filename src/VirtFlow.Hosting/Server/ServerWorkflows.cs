using VirtFlow.Engine.Definitions;

namespace VirtFlow.Hosting.Server;

/// <summary>The workflows a server starts by name: those of its <c>--workflows</c> folder.</summary>
public sealed class ServerWorkflows(WorkflowLoadResult loaded)
{
    /// <summary>What was loaded (valid workflows only; the server does not start with an invalid file).</summary>
    public WorkflowLoadResult Loaded { get; } = loaded;

    /// <summary>The names, sorted, for messages.</summary>
    public IReadOnlyList<string> Names { get; } = loaded.Workflows.Select(w => w.Definition.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The highest version of the workflow called <paramref name="name"/> (or in the file of that name), or null.</summary>
    public WorkflowDefinition? Find(string name) => Loaded.Find(name);
}
