namespace VirtFlow.Engine.Storage.Api;

/// <summary>A page of the audit log.</summary>
/// <param name="After">Only entries with a greater sequence (the cursor); 0: from the start.</param>
/// <param name="Since">Only entries at or after this time.</param>
/// <param name="Limit">At most this many (1..1000).</param>
public sealed record AuditQuery(long After = 0, DateTimeOffset? Since = null, int Limit = 100);
