namespace VirtFlow.Engine.Definitions;

/// <summary>
/// A workflow file refused before it was parsed: not a regular file (a FIFO, a device, a directory), or larger than
/// <see cref="WorkflowLimits.MaxFileBytes"/>. <see cref="Diagnostic"/> is the one line to print (<c>file:1:1: error: ...</c>).
/// </summary>
public sealed class WorkflowFileRefusedException : IOException
{
    public WorkflowFileRefusedException(Diagnostic diagnostic)
        : base(diagnostic?.Message) =>
        Diagnostic = diagnostic ?? throw new ArgumentNullException(nameof(diagnostic));

    public Diagnostic Diagnostic { get; }
}
