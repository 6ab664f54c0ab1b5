namespace VirtFlow.Engine.Definitions;

/// <summary>
/// A problem found in a workflow file, at a 1-based line and column. Prints as
/// <c>file:line:col: error: message</c> (the form compilers use, so editors can jump to it).
/// </summary>
public sealed record Diagnostic(SourceLocation Location, string Message, DiagnosticSeverity Severity = DiagnosticSeverity.Error)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>
    /// The file went past one of its <see cref="WorkflowLimits"/> (or is not a regular file): it was refused as a whole, this
    /// is its only diagnostic, and commands treat it like an unreadable file (exit code 2).
    /// </summary>
    public bool IsLimit { get; init; }

    /// <summary>
    /// One line: the message echoes the file's text (a step id, a value), so its control characters and line breaks are
    /// escaped and it is bounded, whatever the file holds (a fuzz case printed a multi-line "step id").
    /// </summary>
    public override string ToString() =>
        $"{Location}: {(IsError ? "error" : "warning")}: {VirtFlow.Contracts.Text.TerminalText.Safe(Message, MaxPrintedLength)}";

    /// <summary>How long a printed message may be before it is cut (<c>…(+N chars)</c>).</summary>
    public const int MaxPrintedLength = 2000;

    /// <summary>Orders diagnostics by file, line, then column (stable for equal positions).</summary>
    public static IReadOnlyList<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Location.File, StringComparer.Ordinal)
            .ThenBy(x => x.d.Location.Line)
            .ThenBy(x => x.d.Location.Column)
            .ThenBy(x => x.i)
            .Select(x => x.d)
            .ToList();
}
