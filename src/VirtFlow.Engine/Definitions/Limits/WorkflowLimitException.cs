namespace VirtFlow.Engine.Definitions.Limits;

/// <summary>A workflow file went past one of its <see cref="WorkflowLimits"/>: reading stops there, with this one diagnostic.</summary>
internal sealed class WorkflowLimitException(int line, int column, string message) : Exception(message)
{
    public int Line { get; } = Math.Max(1, line);

    public int Column { get; } = Math.Max(1, column);

    public Diagnostic ToDiagnostic(string file) => new(new SourceLocation(file, Line, Column), Message) { IsLimit = true };
}
