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
    /// <summary>Parses the text of one workflow file; <paramref name="fileName"/> is used in diagnostics (and tells JSON from YAML).</summary>
    public static ParseResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new WorkflowReader(text, fileName).Read();
    }
}
