using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Cli.Commands;

/// <summary>Loads the workflow of <c>virtflow run</c>: parsed and validated against the activities the engine runs.</summary>
internal static class RunWorkflowFile
{
    /// <summary>
    /// The definition in <paramref name="file"/>, or null after printing why to <paramref name="stderr"/>: the diagnostics as
    /// <c>file:line:col: error: message</c> (warnings too, never fatal), or a one-line read error.
    /// </summary>
    public static async Task<WorkflowDefinition?> LoadAsync(string file, IActivityCatalog catalog, TextWriter stderr, string verb, CancellationToken ct)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: cannot read '{file}': {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
            return null;
        }
        var parsed = WorkflowParser.Parse(text, file);
        var diagnostics = WorkflowValidator.Validate(parsed, catalog);
        foreach (var diagnostic in diagnostics) await stderr.WriteLineAsync(diagnostic.ToString());
        if (diagnostics.Any(d => d.IsError) || parsed.Definition is null)
        {
            var errors = diagnostics.Count(d => d.IsError);
            await stderr.WriteLineAsync($"virtflow {verb}: {file} is not a valid workflow ({errors} error{(errors == 1 ? "" : "s")})");
            return null;
        }
        return parsed.Definition;
    }

    /// <summary>
    /// The valid workflows beside <paramref name="file"/> (same folder, not below), for its <c>call</c> steps; files with
    /// errors are skipped silently (only the workflow run is reported on).
    /// </summary>
    public static IReadOnlyList<WorkflowDefinition> Siblings(string file, IActivityCatalog catalog)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (dir is null) return [];
        string[] files;
        try
        {
            files = Directory.EnumerateFiles(dir)
                .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
                .Where(f => !string.Equals(Path.GetFullPath(f), Path.GetFullPath(file), StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Take(500)
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return new WorkflowLoader(catalog).LoadFiles(files).Workflows.Select(w => w.Definition).ToList();
    }
}
