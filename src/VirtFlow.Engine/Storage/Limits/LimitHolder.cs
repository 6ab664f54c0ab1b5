namespace VirtFlow.Engine.Storage.Limits;

/// <summary>One held slot of a counted limit.</summary>
/// <param name="InstanceId">The instance holding it.</param>
/// <param name="Holder">Which part of the instance holds it (a name the workflow gives, by default the instance id).</param>
/// <param name="AcquiredAt">When it was taken (UTC, ms).</param>
public sealed record LimitHolder(string InstanceId, string Holder, DateTimeOffset AcquiredAt);
