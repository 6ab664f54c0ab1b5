using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Loads the workflow of <c>virtflow run</c>, parsed and validated against the activities the engine runs, and the workflows
/// it calls (<c>call</c> steps naming a workflow), found beside it by file name: nothing else in its folder is read.
/// </summary>
internal static class RunWorkflowFile
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>At most this many called workflows are loaded (they may call others in turn).</summary>
    private const int MaxCalled = 100;

    /// <summary>
    /// The definition in <paramref name="file"/>, or null after printing why to <paramref name="stderr"/>: the diagnostics as
    /// <c>file:line:col: error: message</c> (warnings too, never fatal), the one diagnostic of a limit it goes past
    /// (<see cref="WorkflowLimits"/>), or a one-line read error.
    /// </summary>
    public static async Task<WorkflowDefinition?> LoadAsync(string file, IActivityCatalog catalog, TextWriter stderr, string verb, CancellationToken ct, WorkflowLimits? limits = null)
    {
        ct.ThrowIfCancellationRequested();
        var check = WorkflowCheck.CheckFile(file, catalog, limits ?? WorkflowLimits.Default);
        if (check.ReadError is { } why)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: cannot read '{file}': {why}");
            return null;
        }
        foreach (var diagnostic in check.Diagnostics) await stderr.WriteLineAsync(diagnostic.ToString());
        if (check.Limit is not null) return null;
        if (check.Definition is not { } definition)
        {
            var errors = check.Diagnostics.Count(d => d.IsError);
            await stderr.WriteLineAsync($"virtflow {verb}: {file} is not a valid workflow ({errors} error{(errors == 1 ? "" : "s")})");
            return null;
        }
        return definition;
    }

    /// <summary>
    /// The workflows <paramref name="definition"/> calls, and those they call in turn: for each <c>call</c> step whose
    /// <c>workflow</c> is written out (not computed), the file <c>NAME.yaml</c>, <c>NAME.yml</c> or <c>NAME.json</c> beside
    /// <paramref name="file"/>. Null after printing why when a called file is invalid; a called workflow without a file is a
    /// warning (the call faults when it runs). No other file of the folder is read.
    /// </summary>
    public static async Task<IReadOnlyList<WorkflowDefinition>?> CalledAsync(
        string file, WorkflowDefinition definition, IActivityCatalog catalog, TextWriter stderr, string verb, CancellationToken ct, WorkflowLimits? limits = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var loaded = new List<WorkflowDefinition>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { definition.Name };
        var pending = new Queue<(WorkflowDefinition Caller, string CallerFile)>([(definition, file)]);
        while (pending.TryDequeue(out var next))
        {
            foreach (var (step, name) in Calls(next.Caller.Steps))
            {
                if (!seen.Add(name)) continue;
                if (loaded.Count >= MaxCalled)
                {
                    await stderr.WriteLineAsync($"virtflow {verb}: {file} calls more than {MaxCalled} workflows");
                    return null;
                }
                var calledFile = Extensions.Select(e => Path.Combine(dir, name + e)).FirstOrDefault(File.Exists);
                if (calledFile is null)
                {
                    var at = step.Location ?? new SourceLocation(next.CallerFile, 1, 1);
                    await stderr.WriteLineAsync(new Diagnostic(at, $"step '{step.Id}' calls workflow '{name}', but there is no {name}.yaml, {name}.yml or {name}.json beside {Path.GetFileName(next.CallerFile)}; virtflow {verb} loads a called workflow from the file of its name", DiagnosticSeverity.Warning).ToString());
                    continue;
                }
                var called = await LoadAsync(calledFile, catalog, stderr, verb, ct, limits);
                if (called is null) return null;
                if (called.Name != name)
                    await stderr.WriteLineAsync(new Diagnostic(called.Location ?? new SourceLocation(calledFile, 1, 1), $"this file is named after '{name}', which step '{step.Id}' of {Path.GetFileName(next.CallerFile)} calls, but it defines workflow '{called.Name}'", DiagnosticSeverity.Warning).ToString());
                loaded.Add(called);
                pending.Enqueue((called, calledFile));
            }
        }
        return loaded;
    }

    /// <summary>The <c>call</c> steps with a written-out workflow name (a name that stays in the folder: no path).</summary>
    private static IEnumerable<(StepDefinition Step, string Name)> Calls(IEnumerable<StepDefinition> steps)
    {
        foreach (var step in steps)
        {
            if (step is ActivityStep { Type: "call" } call
                && call.With["workflow"] is JsonValue value && value.TryGetValue(out string? name)
                && name.Length > 0 && !name.Contains("${", StringComparison.Ordinal)
                && Path.GetFileName(name) == name && name is not ("." or ".."))
                yield return (step, name);
            foreach (var child in step.Children.SelectMany(Calls))
                yield return child;
        }
    }
}
