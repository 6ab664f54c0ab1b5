using System.Collections.Concurrent;
using System.Globalization;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

/// <remarks>
/// Concurrent commits (several servers, or one server's parallel instances) take journal numbers from the identity
/// before they commit, so number 11 can be visible while 10 is still in flight (or was rolled back). A page of the
/// whole journal therefore stops before such a gap until it is settled: the transaction holding a missing number
/// had its id before the number after the gap was taken (commits write the instance row first, so their transaction id
/// precedes their journal numbers). When a gap is first seen the reader takes a fresh transaction id (one
/// <c>pg_current_xact_id()</c>, in a transaction of its own): it is greater than every id assigned so far, that of the
/// transaction holding the missing number included. Once a snapshot's <c>xmin</c> is past that watermark, every such
/// transaction has ended and what it committed is visible. (A snapshot's own <c>xmax</c> is not such a watermark: it is
/// one past the latest *completed* transaction, so a running one can have a larger id; trusting it lost entries under
/// load.) No lock is taken on the write path.
/// </remarks>
public sealed partial class PostgresWorkflowStore : IJournalReader
{
    private const string JournalAfterSql = """
        SELECT j.seq, j.instance_id, j.at, j.step_path, j.kind, j.message, j.data,
               pg_snapshot_xmin(s.snap)::text, pg_snapshot_xmax(s.snap)::text
        FROM (SELECT pg_current_snapshot() AS snap) s
        JOIN LATERAL (SELECT * FROM journal WHERE seq > @after ORDER BY seq LIMIT @limit) j ON true
        ORDER BY j.seq
        """;

    private const string InstanceJournalAfterSql = """
        SELECT seq, instance_id, at, step_path, kind, message, data FROM journal
        WHERE instance_id = @id AND seq > @after ORDER BY seq LIMIT @limit
        """;

    /// <summary>Gaps seen in the journal: first missing number → the snapshot's xmax when it was first seen.</summary>
    private readonly ConcurrentDictionary<long, ulong> _journalGaps = new();

    /// <inheritdoc />
    public async Task<IReadOnlyList<JournalEntry>> GetJournalAfterAsync(long afterSequence, string? instanceId, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (instanceId is not null)
            return await QueryAsync(InstanceJournalAfterSql, ReadJournalEntry, ct, P.Text("id", instanceId), P.Long("after", afterSequence), P.Int("limit", limit));

        var rows = await QueryAsync(JournalAfterSql, r => (Entry: ReadJournalEntry(r), XMin: Xid(r.GetString(7)), XMax: Xid(r.GetString(8))),
            ct, P.Long("after", afterSequence), P.Int("limit", limit));
        var page = new List<JournalEntry>(rows.Count);
        var expected = afterSequence + 1;
        foreach (var (entry, xmin, _) in rows)
        {
            if (entry.Sequence > expected && !await GapSettledAsync(expected, xmin, ct)) break;
            page.Add(entry);
            expected = entry.Sequence + 1;
        }
        foreach (var start in _journalGaps.Keys)
        {
            if (start < expected) _journalGaps.TryRemove(start, out _);
        }
        return page;
    }

    /// <summary>
    /// Whether every transaction that could still fill the gap starting at <paramref name="start"/> has ended. The first
    /// time a gap is seen it takes the watermark (a fresh transaction id) and answers no.
    /// </summary>
    private async Task<bool> GapSettledAsync(long start, ulong xmin, CancellationToken ct)
    {
        if (_journalGaps.TryGetValue(start, out var watermark)) return xmin > watermark;
        var fresh = (await QueryAsync("SELECT pg_current_xact_id()::text", r => Xid(r.GetString(0)), ct))[0];
        _journalGaps.TryAdd(start, fresh);
        return false;
    }

    private static ulong Xid(string text) => ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// The last settled number: the largest visible one, lowered to before a number among the last
    /// <see cref="HeadWindow"/> that an open transaction may still commit.
    /// </summary>
    public async Task<long> GetJournalHeadAsync(CancellationToken ct = default)
    {
        var max = (await QueryAsync("SELECT COALESCE(MAX(seq), 0) FROM journal", r => r.GetInt64(0), ct))[0];
        var from = Math.Max(0, max - HeadWindow);
        var page = await GetJournalAfterAsync(from, null, HeadWindow + 1, ct);
        return page.Count == 0 ? from : page[^1].Sequence;
    }

    private const int HeadWindow = 1000;
}
