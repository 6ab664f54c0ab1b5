namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>What became of a message a trigger received.</summary>
public enum MessageOutcome
{
    /// <summary>It started an instance.</summary>
    Accepted,

    /// <summary>Its id or body was seen within the dedupe window: nothing started.</summary>
    Duplicate,

    /// <summary>It was invalid and went to the error queue: nothing started.</summary>
    Rejected,
}
