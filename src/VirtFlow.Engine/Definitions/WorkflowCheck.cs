using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// The one check of a workflow's text that <c>virtflow validate</c>, the server's catalog and <c>POST /api/validate</c>
/// share: parse within the <see cref="WorkflowLimits"/>, then validate against the activity catalog. A text past a limit
/// gets that limit's one diagnostic and nothing else.
/// </summary>
public static class WorkflowCheck
{
    /// <summary>Checks <paramref name="text"/>; <paramref name="fileName"/> names it in the diagnostics (and tells JSON from YAML).</summary>
    public static WorkflowCheckResult Check(string text, string fileName, IActivityCatalog catalog, WorkflowLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var parsed = WorkflowParser.Parse(text, fileName, limits);
        if (parsed.Diagnostics.FirstOrDefault(d => d.IsLimit) is { } limit)
            return new WorkflowCheckResult(parsed, [limit], limit);
        return new WorkflowCheckResult(parsed, WorkflowValidator.Validate(parsed, catalog), null);
    }
}

/// <summary>What <see cref="WorkflowCheck.Check"/> found.</summary>
/// <param name="Parsed">The parser's result.</param>
/// <param name="Diagnostics">Every problem, in file order (the parser's and the validator's).</param>
/// <param name="Limit">The limit the text went past, if any (then it is the only diagnostic).</param>
public sealed record WorkflowCheckResult(ParseResult Parsed, IReadOnlyList<Diagnostic> Diagnostics, Diagnostic? Limit)
{
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The definition when there is no error, else null.</summary>
    public WorkflowDefinition? Definition => HasErrors ? null : Parsed.Definition;
}
