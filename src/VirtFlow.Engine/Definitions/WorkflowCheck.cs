using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// The one way to load a workflow: read (a file, within the <see cref="WorkflowLimits"/>), parse, check against the activity
/// catalog and against what the engine needs to run it (<see cref="Validation.RunRules"/>). <c>virtflow validate</c>,
/// <c>virtflow run</c>/<c>plan</c>/<c>start</c>, the server's <c>--workflows</c> folder (<see cref="WorkflowLoader"/>), its
/// catalog, <c>POST /api/validate</c> and ad hoc definitions of <c>StartWorkflow</c> all go through it, so whatever one of them
/// refuses the others report, at the same file:line:col. A text past a limit gets that limit's one diagnostic and nothing else.
/// </summary>
public static class WorkflowCheck
{
    /// <summary>Checks <paramref name="text"/>; <paramref name="fileName"/> names it in the diagnostics (and tells JSON from YAML).</summary>
    public static WorkflowCheckResult Check(string text, string fileName, IActivityCatalog catalog, WorkflowLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return CheckText(text, fileName, catalog, limits);
    }

    /// <summary>The pipeline; without a catalog it only parses (<see cref="WorkflowLoader"/>'s parse-only mode).</summary>
    private static WorkflowCheckResult CheckText(string text, string fileName, IActivityCatalog? catalog, WorkflowLimits? limits)
    {
        var parsed = WorkflowParser.Parse(text, fileName, limits);
        if (parsed.Diagnostics.FirstOrDefault(d => d.IsLimit) is { } limit)
            return new WorkflowCheckResult(parsed, [limit], limit) { Text = text };
        var diagnostics = catalog is null ? parsed.Diagnostics : WorkflowValidator.Validate(parsed, catalog);
        return new WorkflowCheckResult(parsed, diagnostics, null) { Text = text };
    }

    /// <summary>
    /// Reads <paramref name="file"/> (<see cref="WorkflowFileReader"/>) and checks it. A file that is refused (not a regular
    /// file, too large) has its one limit diagnostic as <see cref="WorkflowCheckResult.Limit"/>; a file that cannot be read at
    /// all has <see cref="WorkflowCheckResult.ReadError"/> (one line) and a diagnostic at its line 1.
    /// </summary>
    public static WorkflowCheckResult CheckFile(string file, IActivityCatalog catalog, WorkflowLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ReadAndCheck(file, catalog, limits);
    }

    /// <summary><see cref="CheckFile"/>; without a catalog it only parses.</summary>
    internal static WorkflowCheckResult ReadAndCheck(string file, IActivityCatalog? catalog, WorkflowLimits? limits)
    {
        ArgumentNullException.ThrowIfNull(file);
        string text;
        try
        {
            text = WorkflowFileReader.Read(file, limits);
        }
        catch (WorkflowFileRefusedException e)
        {
            return new WorkflowCheckResult(null, [e.Diagnostic], e.Diagnostic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            return new WorkflowCheckResult(null, [new Diagnostic(new SourceLocation(file, 1, 1), $"cannot read the file: {why}")], null) { ReadError = why };
        }
        return CheckText(text, file, catalog, limits);
    }
}
