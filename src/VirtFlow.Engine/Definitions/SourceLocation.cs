namespace VirtFlow.Engine.Definitions;

/// <summary>Where a node of a workflow file starts: 1-based line and column.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
