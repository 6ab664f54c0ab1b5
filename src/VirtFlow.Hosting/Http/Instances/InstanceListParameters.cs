using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Paging;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// The query of <c>GET /api/instances</c>, as given (text), checked by <see cref="TryParse"/>: every value that does not
/// parse is reported under its parameter's name.
/// </summary>
public sealed record InstanceListParameters(
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "workflow")] string? Workflow,
    [property: FromQuery(Name = "vm")] string? Vm,
    [property: FromQuery(Name = "host")] string? Host,
    [property: FromQuery(Name = "since")] string? Since,
    [property: FromQuery(Name = "until")] string? Until,
    [property: FromQuery(Name = "limit")] string? Limit,
    [property: FromQuery(Name = "cursor")] string? Cursor)
{
    private static readonly string StatusNames = string.Join(", ", Enum.GetNames<InstanceStatus>().Select(n => n.ToLowerInvariant()));

    /// <summary>The store query, or the errors by parameter name.</summary>
    internal bool TryParse(out InstancePageQuery query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        InstanceStatus? status = null;
        if (Status is not null)
        {
            if (Enum.TryParse<InstanceStatus>(Status, ignoreCase: true, out var s) && Enum.IsDefined(s) && !Status.Any(char.IsDigit)) status = s;
            else errors["status"] = [$"'{Bounded(Status)}' is not a status (one of {StatusNames})"];
        }
        var since = Time("since", Since, errors);
        var until = Time("until", Until, errors);
        if (since is not null && until is not null && until <= since) errors["until"] = ["'until' must be later than 'since'"];
        var limit = InstancePageQuery.DefaultLimit;
        if (Limit is not null
            && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > InstancePageQuery.MaxLimit))
            errors["limit"] = [$"'{Bounded(Limit)}' is not a page size from 1 to {InstancePageQuery.MaxLimit}"];
        InstanceCursor? after = null;
        if (Cursor is not null && !InstanceCursor.TryDecode(Cursor, out after))
            errors["cursor"] = ["not a cursor this API returned (pass nextCursor of the previous page as it is)"];
        foreach (var (name, value) in new[] { ("workflow", Workflow), ("vm", Vm), ("host", Host) })
        {
            if (value is { Length: 0 or > 256 }) errors[name] = [$"'{name}' must be 1 to 256 characters"];
        }
        query = new InstancePageQuery
        {
            Status = status, WorkflowName = Workflow, Vm = Vm, Host = Host, Since = since, Until = until, Limit = limit, After = after,
        };
        return errors.Count == 0;
    }

    private static DateTimeOffset? Time(string name, string? text, Dictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return at;
        errors[name] = [$"'{Bounded(text)}' is not a time (ISO 8601, e.g. 2026-12-07T01:00:00Z)"];
        return null;
    }

    private static string Bounded(string text) => VirtFlow.Contracts.Text.TerminalText.Safe(text, 64);
}
