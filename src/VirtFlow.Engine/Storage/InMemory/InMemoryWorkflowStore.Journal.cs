using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Instance id → its entries, each packed into one array of UTF-8 JSON (<see cref="StoredEntry"/>).</summary>
    private readonly Dictionary<string, List<StoredEntry>> _journal = new(StringComparer.Ordinal);

    /// <summary>A journal entry as kept: its sequence number, and the rest as one UTF-8 JSON object.</summary>
    private readonly record struct StoredEntry(long Sequence, byte[] Packed)
    {
        public static StoredEntry Pack(JournalEntry j)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = StoreJson.WriteOptions.Encoder, SkipValidation = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("at", j.At);
                writer.WriteString("kind", j.Kind);
                if (j.StepPath is not null) writer.WriteString("step", j.StepPath);
                if (j.Message is not null) writer.WriteString("message", j.Message);
                if (j.Data is not null)
                {
                    writer.WritePropertyName("data");
                    j.Data.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            return new StoredEntry(j.Sequence, buffer.WrittenSpan.ToArray());
        }

        public JournalEntry Unpack(string instanceId)
        {
            var o = (JsonObject)JsonBlob.Read(Packed)!;
            return new JournalEntry
            {
                Sequence = Sequence,
                InstanceId = instanceId,
                At = o["at"]!.GetValue<DateTimeOffset>(),
                Kind = o["kind"]!.GetValue<string>(),
                StepPath = o["step"]?.GetValue<string>(),
                Message = o["message"]?.GetValue<string>(),
                Data = o["data"] is { } data ? Detach(o, data) : null,
            };
        }

        private static JsonNode Detach(JsonObject parent, JsonNode data)
        {
            parent.Remove("data");
            return data;
        }
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
    private void AddJournal(JournalEntry given, DateTimeOffset now)
    {
        var j = given with
        {
            Sequence = ++_journalSeq,
            At = given.At == default ? now : StoreTime.Normalize(given.At),
        };
        if (!_journal.TryGetValue(j.InstanceId, out var list)) _journal[j.InstanceId] = list = new List<StoredEntry>(4);
        list.Add(StoredEntry.Pack(j));
    }
}
