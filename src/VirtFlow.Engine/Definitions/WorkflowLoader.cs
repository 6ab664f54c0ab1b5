using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// Loads workflow files: one file, or every <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> under a folder
/// (recursively, skipping <c>schema/</c> folders), each through <see cref="WorkflowCheck"/> (parsed and, when a catalog is
/// given, validated).
/// Files with errors are left out of <see cref="WorkflowLoadResult.Workflows"/>; their diagnostics say why.
/// Two files defining the same name and version are an error (the second is left out).
/// </summary>
public sealed class WorkflowLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private readonly IActivityCatalog? _catalog;
    private readonly WorkflowLimits _limits;

    /// <param name="catalog">The activities to validate against; null to only parse.</param>
    /// <param name="limits">What a file may hold (default <see cref="WorkflowLimits.Default"/>); a file past one is left out with one diagnostic.</param>
    public WorkflowLoader(IActivityCatalog? catalog = null, WorkflowLimits? limits = null)
    {
        _catalog = catalog;
        _limits = limits ?? WorkflowLimits.Default;
        _limits.Validate();
    }

    /// <summary>Loads a file, or all workflow files under a folder.</summary>
    public WorkflowLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Directory.Exists(path) ? LoadDirectory(path) : LoadFiles([path]);
    }

    /// <summary>Loads every workflow file under <paramref name="directory"/>.</summary>
    public WorkflowLoadResult LoadDirectory(string directory) => LoadFiles(FindFiles(directory));

    /// <summary>Loads the given files (in this order).</summary>
    public WorkflowLoadResult LoadFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var workflows = new List<LoadedWorkflow>();
        var diagnostics = new List<Diagnostic>();
        var seen = new Dictionary<(string Name, int Version), string>();
        foreach (var file in files)
        {
            var result = LoadFile(file, out var fileDiagnostics, out var text);
            diagnostics.AddRange(fileDiagnostics);
            if (result is null)
                continue;
            if (seen.TryGetValue((result.Name, result.Version), out var first))
            {
                diagnostics.Add(new Diagnostic(result.Location ?? new SourceLocation(file, 1, 1), $"workflow '{result.Name}' version {result.Version} is also defined in {first}"));
                continue;
            }

            seen[(result.Name, result.Version)] = file;
            workflows.Add(new LoadedWorkflow(result, file) { Text = text });
        }

        return new WorkflowLoadResult(workflows, diagnostics);
    }

    /// <summary>The workflow files under <paramref name="directory"/>, sorted, leaving out <c>schema/</c> folders.</summary>
    public static IReadOnlyList<string> FindFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f => !Path.GetRelativePath(directory, f).Split(Path.DirectorySeparatorChar).SkipLast(1).Contains("schema", StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private WorkflowDefinition? LoadFile(string file, out IReadOnlyList<Diagnostic> diagnostics, out string text)
    {
        var check = WorkflowCheck.ReadAndCheck(file, _catalog, _limits);
        diagnostics = check.Diagnostics;
        text = check.Text;
        return check.Definition;
    }
}

/// <summary>A workflow and the file it came from.</summary>
public sealed record LoadedWorkflow(WorkflowDefinition Definition, string File)
{
    /// <summary>The file's text exactly as read (what the catalog imports).</summary>
    public string Text { get; init; } = "";
}

/// <summary>What <see cref="WorkflowLoader"/> loaded, and every problem it found.</summary>
public sealed class WorkflowLoadResult
{
    internal WorkflowLoadResult(IReadOnlyList<LoadedWorkflow> workflows, IReadOnlyList<Diagnostic> diagnostics)
    {
        Workflows = workflows;
        Diagnostics = diagnostics;
    }

    /// <summary>The workflows without errors, in file order.</summary>
    public IReadOnlyList<LoadedWorkflow> Workflows { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>
    /// The workflow called <paramref name="name"/> (its <c>name:</c>, or else its file name without extension),
    /// in <paramref name="version"/>, or its highest version when null; null when there is none.
    /// </summary>
    public WorkflowDefinition? Find(string name, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var matches = Workflows.Where(w => w.Definition.Name == name).ToList();
        if (matches.Count == 0)
            matches = Workflows.Where(w => Path.GetFileNameWithoutExtension(w.File) == name).ToList();
        return matches
            .Where(w => version is null || w.Definition.Version == version)
            .OrderByDescending(w => w.Definition.Version)
            .Select(w => w.Definition)
            .FirstOrDefault();
    }
}
