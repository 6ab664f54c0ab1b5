namespace VirtFlow.Engine.Definitions;

/// <summary>What <see cref="WorkflowParser.Parse"/> made of a file.</summary>
public sealed class ParseResult
{
    internal ParseResult(string fileName, WorkflowDefinition? partial, IReadOnlyList<Diagnostic> diagnostics, SourceMap sourceMap)
    {
        FileName = fileName;
        Partial = partial;
        Diagnostics = diagnostics;
        SourceMap = sourceMap;
    }

    public string FileName { get; }

    /// <summary>The definition, or null when the file has any error (see <see cref="Diagnostics"/>).</summary>
    public WorkflowDefinition? Definition => HasErrors ? null : Partial;

    /// <summary>Every problem found, in file order; warnings do not prevent a <see cref="Definition"/>.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>Where each template was written (for the validator's positions).</summary>
    public SourceMap SourceMap { get; }

    /// <summary>
    /// The best-effort definition even when there are errors (null only when the file is not a YAML/JSON
    /// mapping at all): lets the validator report its own findings together with the parser's.
    /// </summary>
    internal WorkflowDefinition? Partial { get; }
}
