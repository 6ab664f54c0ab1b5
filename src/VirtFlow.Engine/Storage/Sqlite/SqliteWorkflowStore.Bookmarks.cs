using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string BookmarkColumns = "id, instance_id, step_path, name, key, due_at, data, created_at";

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default) =>
        QueryBookmarks($"SELECT {BookmarkColumns} FROM bookmarks WHERE instance_id = $v ORDER BY created_at, id", instanceId);

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default) =>
        QueryBookmarks(FindBookmarksByKeySql, key);

    /// <summary>Uses <c>ix_bookmarks_key</c> (tests check the plan).</summary>
    internal const string FindBookmarksByKeySql = $"SELECT {BookmarkColumns} FROM bookmarks WHERE key = $v ORDER BY created_at, id";

    /// <inheritdoc />
    public Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<Bookmark>>(connection =>
        {
            using var command = SqliteCommands.Create(connection,
                $"SELECT {BookmarkColumns} FROM bookmarks WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at, id LIMIT $limit",
                ("$now", StoreTime.ToUnixMs(now)), ("$limit", limit));
            return ReadAll(command, ReadBookmark);
        }));

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, "SELECT due_at FROM bookmarks WHERE due_at IS NOT NULL ORDER BY due_at LIMIT 1");
            return command.ExecuteScalar() is long ms ? StoreTime.FromUnixMs(ms) : (DateTimeOffset?)null;
        }));

    private Task<IReadOnlyList<Bookmark>> QueryBookmarks(string sql, string value) =>
        Task.FromResult(Read<IReadOnlyList<Bookmark>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, sql, ("$v", value));
            return ReadAll(command, ReadBookmark);
        }));

    private static Bookmark ReadBookmark(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        InstanceId = r.GetString(1),
        StepPath = r.GetString(2),
        Name = r.GetString(3),
        Key = r.GetStringOrNull(4),
        DueAt = r.GetTimeOrNull(5),
        Data = StoreJson.ReadObjectOrNull(r.GetStringOrNull(6)),
        CreatedAt = r.GetTime(7),
    };
}
