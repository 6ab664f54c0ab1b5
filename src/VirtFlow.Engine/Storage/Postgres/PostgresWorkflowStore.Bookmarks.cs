using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    private const string BookmarkColumns = "id, instance_id, step_path, name, key, due_at, data, created_at";

    /// <summary>Uses <c>ix_bookmarks_key</c> (tests check the plan).</summary>
    internal const string FindBookmarksByKeySql = $"SELECT {BookmarkColumns} FROM bookmarks WHERE key = @v ORDER BY created_at, id";

    /// <inheritdoc />
    public async Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default) =>
        await QueryAsync($"SELECT {BookmarkColumns} FROM bookmarks WHERE instance_id = @v ORDER BY created_at, id",
            ReadBookmark, ct, P.Text("v", instanceId));

    /// <inheritdoc />
    public async Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default) =>
        await QueryAsync(FindBookmarksByKeySql, ReadBookmark, ct, P.Text("v", key));

    /// <inheritdoc />
    public async Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default) =>
        await QueryAsync($"SELECT {BookmarkColumns} FROM bookmarks WHERE due_at IS NOT NULL AND due_at <= @now ORDER BY due_at, id LIMIT @limit",
            ReadBookmark, ct, P.Time("now", now), P.Int("limit", limit));

    /// <inheritdoc />
    public async Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default)
    {
        var rows = await QueryAsync("SELECT due_at FROM bookmarks WHERE due_at IS NOT NULL ORDER BY due_at LIMIT 1", r => r.GetTime(0), ct);
        return rows.Count == 0 ? null : rows[0];
    }

    private static Bookmark ReadBookmark(NpgsqlDataReader r) => new()
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
