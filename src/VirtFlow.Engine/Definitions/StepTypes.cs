namespace VirtFlow.Engine.Definitions;

/// <summary>The control-flow step types; any other <c>type:</c> names an activity.</summary>
public static class StepTypes
{
    public const string Sequence = "sequence";
    public const string Parallel = "parallel";
    public const string ForEach = "forEach";
    public const string If = "if";
    public const string Switch = "switch";
    public const string While = "while";
    public const string Try = "try";

    /// <summary>Every structural type, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Sequence, Parallel, ForEach, If, Switch, While, Try];

    /// <summary>True when <paramref name="type"/> is a structural type (case-sensitive, as written in files).</summary>
    public static bool IsStructural(string type) => All.Contains(type, StringComparer.Ordinal);
}
