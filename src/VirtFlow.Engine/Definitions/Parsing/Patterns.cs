using System.Text.RegularExpressions;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>The name rules of the workflow format.</summary>
internal static partial class Patterns
{
    /// <summary>A step id as written: <c>^[A-Za-z_][A-Za-z0-9_-]*$</c>.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    public static partial Regex StepId();

    /// <summary>Input, variable and loop-variable names: JavaScript identifiers, so <c>inputs.NAME</c> works.</summary>
    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]*$")]
    public static partial Regex Identifier();

    /// <summary>Names a loop variable cannot take: JavaScript reserved words and the scope's own names.</summary>
    public static readonly HashSet<string> ReservedNames = new(StringComparer.Ordinal)
    {
        "inputs", "vars", "steps", "instance", "arguments", "eval", "await", "break", "case", "catch", "class", "const",
        "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for",
        "function", "if", "implements", "import", "in", "instanceof", "interface", "let", "new", "null", "package", "private",
        "protected", "public", "return", "static", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
        "while", "with", "yield",
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    public static partial Regex WorkflowName();
}
