namespace VirtFlow.Engine.Storage;

/// <summary>The stable text an <see cref="InstanceStatus"/> is stored as (independent of enum member order).</summary>
internal static class InstanceStatusText
{
    public const string Running = "running";

    public static string From(InstanceStatus status) => status switch
    {
        InstanceStatus.Running => Running,
        InstanceStatus.Suspended => "suspended",
        InstanceStatus.Completed => "completed",
        InstanceStatus.Faulted => "faulted",
        InstanceStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown instance status"),
    };

    public static InstanceStatus Parse(string text) => text switch
    {
        Running => InstanceStatus.Running,
        "suspended" => InstanceStatus.Suspended,
        "completed" => InstanceStatus.Completed,
        "faulted" => InstanceStatus.Faulted,
        "cancelled" => InstanceStatus.Cancelled,
        _ => throw new InvalidDataException($"unknown stored instance status '{text}'"),
    };
}
