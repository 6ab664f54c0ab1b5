using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Cli.Commands;

/// <summary>One run of <see cref="ValidateCommand"/>: expands folders, checks each file, prints, and decides the exit code.</summary>
internal sealed class ValidationRun(IActivityCatalog catalog, TextWriter stdout, TextWriter stderr, bool quiet, WorkflowLimits? limits = null)
{
    private readonly WorkflowLimits _limits = limits ?? WorkflowLimits.Default;
    private readonly Dictionary<(string Name, int Version), string> _seen = [];
    private bool _unreadable;
    private bool _errors;

    public async Task<int> ExecuteAsync(IEnumerable<string> paths, CancellationToken ct)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = WorkflowLoader.FindFiles(path);
                if (found.Count == 0)
                    await Unreadable($"no workflow files (*.yaml, *.yml, *.json) in '{path}'");
                files.AddRange(found);
            }
            else
                files.Add(path);
        }

        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            await CheckFileAsync(file, ct);
        }

        return _unreadable ? 2 : _errors ? 1 : 0;
    }

    private async Task CheckFileAsync(string file, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var check = WorkflowCheck.CheckFile(file, catalog, _limits);
        if (check.ReadError is { } why)
        {
            await Unreadable($"cannot read '{file}': {why}");
            return;
        }
        if (check.Limit is { } limit)
        {
            await Refused(limit);
            return;
        }

        var parsed = check.Parsed!;
        var diagnostics = check.Diagnostics.ToList();
        if (parsed.Definition is { } d && !diagnostics.Any(x => x.IsError))
        {
            if (_seen.TryGetValue((d.Name, d.Version), out var first))
                diagnostics.Add(new Diagnostic(d.Location ?? new SourceLocation(file, 1, 1), $"workflow '{d.Name}' version {d.Version} is also defined in {first}"));
            else
                _seen[(d.Name, d.Version)] = file;
        }

        foreach (var diagnostic in diagnostics)
            await stdout.WriteLineAsync(diagnostic.ToString());
        if (diagnostics.Any(x => x.IsError))
        {
            _errors = true;
            return;
        }

        if (!quiet)
            await stdout.WriteLineAsync($"ok: {file} ({parsed.Definition!.Name} v{parsed.Definition.Version}, {CountSteps(parsed.Definition.Steps)} steps)");
    }

    /// <summary>A file past a limit (or not a regular file): its one diagnostic, on stderr, and exit code 2 as for an unreadable file.</summary>
    private async Task Refused(Diagnostic diagnostic)
    {
        _unreadable = true;
        await stderr.WriteLineAsync(diagnostic.ToString());
    }

    private async Task Unreadable(string message)
    {
        _unreadable = true;
        await stderr.WriteLineAsync("virtflow validate: " + message);
    }

    private static int CountSteps(IEnumerable<StepDefinition> steps) =>
        steps.Sum(s => 1 + s.Children.Sum(CountSteps));
}
