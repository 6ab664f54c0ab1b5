using Npgsql;
using VirtFlow.Engine.Storage.Paging;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IInstanceListStore
{
    /// <inheritdoc />
    public async Task<InstancePage> ListInstancePageAsync(InstancePageQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<NpgsqlParameter>();
        var sql = InstancePageSql.Build(query, '@', (name, value) => parameters.Add(value switch
        {
            DateTimeOffset at => P.Time(name, at),
            int number => P.Int(name, number),
            _ => P.Text(name, (string)value),
        }));
        var rows = await QueryAsync(sql, r => InstancePageSql.Read(r, static (r, i) => r.GetFieldValue<DateTimeOffset>(i)), ct, [.. parameters]);
        return InstancePage.From(rows, query.Limit);
    }
}
