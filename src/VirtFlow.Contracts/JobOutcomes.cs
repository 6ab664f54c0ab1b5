namespace VirtFlow.Contracts;

/// <summary>How a concluded job ended (<see cref="JobStatusChanged.Outcome"/>).</summary>
public static class JobOutcomes
{
    /// <summary>Finished; a mirror switched its device to the target.</summary>
    public const string Completed = "completed";
    /// <summary>Cancelled; a mirror left its device on the source.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Ended with an error.</summary>
    public const string Failed = "failed";
}
