using System.Data.Common;
using System.Text;

namespace VirtFlow.Engine.Storage.Paging;

/// <summary>
/// The one SELECT of a page, the same for SQLite and PostgreSQL (they differ in the parameter prefix and in how a time
/// is bound): every filter is an equality or a range on (column, created_at, id), the keyset condition a row-value
/// comparison, so each filter's page is a backward range scan of its index. One row more than the limit is read: its
/// presence means another page follows.
/// </summary>
internal static class InstancePageSql
{
    /// <summary>The columns <see cref="Build"/> selects, in this order.</summary>
    public const string Columns = "id, workflow_name, workflow_version, status, correlation_id, vm, host, fault, created_at, updated_at";

    /// <param name="query">The page.</param>
    /// <param name="prefix">The parameter prefix (<c>$</c> for SQLite, <c>@</c> for PostgreSQL).</param>
    /// <param name="bind">Called per parameter (name without prefix; a string, a <see cref="DateTimeOffset"/> or an int).</param>
    public static string Build(InstancePageQuery query, char prefix, Action<string, object> bind)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var sql = new StringBuilder($"SELECT {Columns} FROM instances WHERE 1 = 1");
        void Where(string condition, string name, object value)
        {
            sql.Append(" AND ").Append(condition.Replace("?", prefix + name, StringComparison.Ordinal));
            bind(name, value);
        }
        if (query.Status is { } status) Where("status = ?", "status", InstanceStatusText.From(status));
        if (query.WorkflowName is { } name) Where("workflow_name = ?", "workflow", name);
        if (query.Vm is { } vm) Where("vm = ?", "vm", vm);
        if (query.Host is { } host) Where("host = ?", "host", host);
        if (query.Since is { } since) Where("created_at >= ?", "since", since);
        if (query.Until is { } until) Where("created_at < ?", "until", until);
        if (query.After is { } after)
        {
            sql.Append($" AND (created_at, id) < ({prefix}after_created, {prefix}after_id)");
            bind("after_created", after.CreatedAt);
            bind("after_id", after.Id);
        }
        sql.Append($" ORDER BY created_at DESC, id DESC LIMIT {prefix}limit");
        bind("limit", query.Limit + 1);
        return sql.ToString();
    }

    /// <summary>One row of <see cref="Columns"/>; <paramref name="time"/> reads a time column as the store keeps it.</summary>
    public static InstanceSummary Read(DbDataReader r, Func<DbDataReader, int, DateTimeOffset> time) => new()
    {
        Id = r.GetString(0),
        WorkflowName = r.GetString(1),
        WorkflowVersion = r.GetInt32(2),
        Status = InstanceStatusText.Parse(r.GetString(3)),
        CorrelationId = r.IsDBNull(4) ? null : r.GetString(4),
        Vm = r.IsDBNull(5) ? null : r.GetString(5),
        Host = r.IsDBNull(6) ? null : r.GetString(6),
        Fault = r.IsDBNull(7) ? null : r.GetString(7),
        CreatedAt = time(r, 8),
        UpdatedAt = time(r, 9),
    };
}
