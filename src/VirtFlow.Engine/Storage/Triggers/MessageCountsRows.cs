namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>The stores' rows of message counts: one per (message type, outcome).</summary>
internal static class MessageCountsRows
{
    /// <summary>The outcome's name in the store.</summary>
    public static string Name(MessageOutcome outcome) => outcome switch
    {
        MessageOutcome.Accepted => "accepted",
        MessageOutcome.Duplicate => "duplicate",
        _ => "rejected",
    };

    /// <summary>One <see cref="MessageCounts"/> per message type, ordered by it.</summary>
    public static IReadOnlyList<MessageCounts> Fold(IEnumerable<(string Type, string Outcome, long Count)> rows) =>
        rows.GroupBy(r => r.Type, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MessageCounts(g.Key,
                g.Where(r => r.Outcome == "accepted").Sum(r => r.Count),
                g.Where(r => r.Outcome == "duplicate").Sum(r => r.Count),
                g.Where(r => r.Outcome == "rejected").Sum(r => r.Count)))
            .ToList();
}
