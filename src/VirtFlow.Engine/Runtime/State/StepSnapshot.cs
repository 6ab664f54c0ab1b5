namespace VirtFlow.Engine.Runtime.State;

/// <summary>
/// One step execution of an instance as its state document has it, for readers outside the engine (the HTTP API).
/// </summary>
/// <param name="Path">The execution path (<c>mirror</c>, <c>loop[3]/copy</c>).</param>
/// <param name="StepId">The step's id in the workflow.</param>
/// <param name="Type">The activity or structural kind (<c>vm.mirror</c>, <c>forEach</c>).</param>
/// <param name="Status">pending, running, suspended, completed, faulted, skipped or cancelled.</param>
/// <param name="Attempts">Attempts made so far (activities; 0 for structural steps).</param>
/// <param name="StartedAt">When its first attempt began (null while pending).</param>
/// <param name="CompletedAt">When it ended (null until then).</param>
/// <param name="Error">Why it faulted (or the last attempt's error while a retry waits).</param>
public sealed record StepSnapshot(
    string Path,
    string StepId,
    string Type,
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    StepErrorSnapshot? Error);

/// <summary>A step's error: its message, machine-readable code and the innermost step that faulted.</summary>
public sealed record StepErrorSnapshot(string Message, string? Code, string Step);
