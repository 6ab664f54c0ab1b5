namespace VirtFlow.Engine.Definitions;

/// <summary>What <see cref="WorkflowCheck.Check"/> or <see cref="WorkflowCheck.CheckFile"/> found.</summary>
/// <param name="Parsed">The parser's result (null when the file could not be read or was refused).</param>
/// <param name="Diagnostics">Every problem, in file order (the parser's and the validator's).</param>
/// <param name="Limit">The limit the text went past, if any (then it is the only diagnostic).</param>
public sealed record WorkflowCheckResult(ParseResult? Parsed, IReadOnlyList<Diagnostic> Diagnostics, Diagnostic? Limit)
{
    /// <summary>Why the file could not be read (one line, e.g. "no such file"), or null when it was read.</summary>
    public string? ReadError { get; init; }

    /// <summary>The text as read (what the catalog imports); empty when it was not read.</summary>
    public string Text { get; init; } = "";

    /// <summary>The file was refused as a whole (a limit, not a regular file) or could not be read: nothing was checked.</summary>
    public bool Unreadable => Limit is not null || ReadError is not null;

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The definition when there is no error, else null.</summary>
    public WorkflowDefinition? Definition => HasErrors ? null : Parsed?.Definition;
}
