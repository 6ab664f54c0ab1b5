namespace VirtFlow.Contracts;

/// <summary>
/// Published by the server as an instance's steps run (for <c>virtflow start --wait</c>): a step started, waits, completed
/// or faulted, or an activity reported progress (<see cref="DataJson"/>: <c>{device, offset, length}</c> for a disk copy).
/// Live only: the store's journal is the durable record.
/// </summary>
public sealed record WorkflowProgress
{
    public required string InstanceId { get; init; }
    public required string Workflow { get; init; }

    /// <summary>One of <see cref="WorkflowProgressKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The step's execution path (<c>copy</c>, <c>loop[3]/copy</c>).</summary>
    public required string StepPath { get; init; }

    public required string StepId { get; init; }

    /// <summary>The activity type (step started).</summary>
    public string? ActivityType { get; init; }

    /// <summary>The attempt (step started).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>A step resumed rather than started (step started).</summary>
    public bool Resumed { get; init; }

    /// <summary>The fault's message (step faulted).</summary>
    public string? Message { get; init; }

    /// <summary>The fault's code (step faulted).</summary>
    public string? Code { get; init; }

    /// <summary>A retry is scheduled (step faulted).</summary>
    public bool WillRetry { get; init; }

    /// <summary>What the step waits for (step suspended).</summary>
    public IReadOnlyList<string> Bookmarks { get; init; } = [];

    /// <summary>The progress report (progress), or the step's outputs (step completed), as a JSON object.</summary>
    public string? DataJson { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>The kinds of <see cref="WorkflowProgress"/>.</summary>
public static class WorkflowProgressKinds
{
    public const string StepStarted = "StepStarted";
    public const string StepSuspended = "StepSuspended";
    public const string StepCompleted = "StepCompleted";
    public const string StepFaulted = "StepFaulted";
    public const string Progress = "Progress";
}
