using VirtFlow.Engine.Storage.Paging;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IInstanceListStore
{
    /// <inheritdoc />
    public Task<InstancePage> ListInstancePageAsync(InstancePageQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Task.FromResult(Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = InstancePageSql.Build(query, '$', (name, value) =>
                command.Parameters.AddWithValue("$" + name, value is DateTimeOffset at ? StoreTime.ToUnixMs(at) : value));
            var rows = ReadAll(command, r => InstancePageSql.Read(r, static (r, i) => StoreTime.FromUnixMs(r.GetInt64(i))));
            return InstancePage.From(rows, query.Limit);
        }));
    }
}
