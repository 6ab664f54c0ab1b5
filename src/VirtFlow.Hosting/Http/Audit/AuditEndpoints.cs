using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Audit;

/// <summary><c>GET /api/audit?since=&amp;limit=&amp;cursor=</c> (admin): the audit log, oldest first, in pages.</summary>
public static class AuditEndpoints
{
    /// <summary>The default and largest page.</summary>
    public const int DefaultLimit = 100, MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireAuthorization(ApiRoles.Admin).WithTags("Audit").WithName("ListAudit")
            .WithSummary("The audit log of mutating calls, oldest first; pass nextCursor as cursor for the next page");
        return api;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(IAuditStore store, DateTimeOffset? since, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"limit must be between 1 and {MaxLimit}"];
        long after = 0;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            errors["cursor"] = ["cursor must be a nextCursor from a previous page"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var take = limit ?? DefaultLimit;
        var entries = await store.ListAuditAsync(new AuditQuery(after, since, take), ct).ConfigureAwait(false);
        var next = entries.Count == take ? entries[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new AuditPage([.. entries.Select(AuditItem.From)], next));
    }
}

/// <summary>A page of the audit log; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditItem> Items, string? NextCursor);

/// <summary>One audit entry.</summary>
public sealed record AuditItem(long Sequence, DateTimeOffset At, string Actor, string Action, string Target, int Status)
{
    internal static AuditItem From(AuditEntry e) => new(e.Sequence, e.At, e.Actor, e.Action, e.Target, e.Status);
}
