namespace VirtFlow.Engine.Storage.Api;

/// <summary>One mutating call of the HTTP API.</summary>
/// <param name="Sequence">Assigned by the store (ignored on append).</param>
/// <param name="At">When it was answered.</param>
/// <param name="Actor">The key's name, or the token's subject.</param>
/// <param name="Action">Method and route pattern, e.g. <c>POST /api/instances/{id}/cancel</c>.</param>
/// <param name="Target">The route values, e.g. <c>id=abc</c> (empty when none).</param>
/// <param name="Status">The response's status code.</param>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, int Status);
