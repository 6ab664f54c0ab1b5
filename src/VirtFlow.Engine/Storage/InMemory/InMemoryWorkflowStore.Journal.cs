using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Instance id → its entries, each packed into one array of UTF-8 JSON (<see cref="StoredEntry"/>).</summary>
    private readonly Dictionary<string, List<StoredEntry>> _journal = new(StringComparer.Ordinal);

    /// <summary>
    /// A journal entry as kept: its number, time, kind and step (the kind and step are strings the engine shares), and its
    /// message and data as one UTF-8 array (the message's bytes, then the data's JSON).
    /// </summary>
    private readonly record struct StoredEntry(long Sequence, long AtUtcTicks, string Kind, string? StepPath, byte[]? Packed, int MessageBytes)
    {
        /// <summary>The message's bytes, then the data's JSON, in one array (null when neither); and the message's length (-1: none).</summary>
        public static (byte[]? Packed, int MessageBytes) Body(JournalEntry j)
        {
            var message = j.Message is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(j.Message);
            if (j.Message is null && j.Data is null) return (null, -1);
            var data = JsonBlob.Write(j.Data);
            var packed = new byte[message + (data?.Length ?? 0)];
            if (j.Message is not null) System.Text.Encoding.UTF8.GetBytes(j.Message, packed);
            data?.CopyTo(packed, message);
            return (packed, j.Message is null ? -1 : message);
        }

        public JournalEntry Unpack(string instanceId) => new()
        {
            Sequence = Sequence,
            InstanceId = instanceId,
            At = new DateTimeOffset(AtUtcTicks, TimeSpan.Zero),
            Kind = Kind,
            StepPath = StepPath,
            Message = MessageBytes < 0 ? null : System.Text.Encoding.UTF8.GetString(Packed!, 0, MessageBytes),
            Data = Packed is null || Packed.Length == Math.Max(0, MessageBytes)
                ? null
                : StoreJson.ReadUtf8(Packed.AsSpan(Math.Max(0, MessageBytes))),
        };
    }

    private long _journalSeq;

    /// <inheritdoc />
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JournalEntry> result = _journal.TryGetValue(instanceId, out var list)
                ? list.Select(j => j.Unpack(instanceId)).ToList()
                : [];
            return Task.FromResult(result);
        }
    }

    /// <summary>Appends an entry with the next sequence number (under the lock).</summary>
    private void AddJournal(JournalEntry given, (byte[]? Packed, int MessageBytes) body, DateTimeOffset now)
    {
        var at = given.At == default ? now : StoreTime.Normalize(given.At);
        if (!_journal.TryGetValue(given.InstanceId, out var list)) _journal[given.InstanceId] = list = new List<StoredEntry>(4);
        list.Add(new StoredEntry(++_journalSeq, at.UtcTicks, given.Kind, given.StepPath, body.Packed, body.MessageBytes));
    }
}
