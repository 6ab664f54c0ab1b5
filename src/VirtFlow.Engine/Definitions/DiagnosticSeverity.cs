namespace VirtFlow.Engine.Definitions;

/// <summary>How bad a <see cref="Diagnostic"/> is. Only errors make a workflow unusable.</summary>
public enum DiagnosticSeverity
{
    Error,
    Warning,
}
