using VirtFlow.Engine.Definitions.Parsing;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// Reads workflow files: YAML, or JSON (read through the same YAML path, so every node of both has a
/// line and column). Reports every problem found (unknown or misspelt fields, wrong types, missing
/// required fields, duplicate step ids, bad durations, unknown input types...), not only the first.
/// Checks that need the activity catalog or JavaScript (unknown activities, expressions, references)
/// are <see cref="WorkflowValidator"/>'s.
/// </summary>
public static class WorkflowParser
{
    /// <summary>
    /// Parses the text of one workflow file; <paramref name="fileName"/> is used in diagnostics (and tells JSON from YAML).
    /// A text past one of the <paramref name="limits"/> (default <see cref="WorkflowLimits.Default"/>) gets one diagnostic
    /// naming the limit (<see cref="Diagnostic.IsLimit"/>) and no definition.
    /// </summary>
    public static ParseResult Parse(string text, string fileName, WorkflowLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        limits ??= WorkflowLimits.Default;
        limits.Validate();
        return new WorkflowReader(text, fileName, limits).Read();
    }
}
