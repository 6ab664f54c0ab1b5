using System.Runtime.CompilerServices;
using System.Text;

namespace VirtFlow.Hosting.Client;

/// <summary>Reads a <c>text/event-stream</c> body: each event's <c>id</c>, <c>event</c> and <c>data</c> (comments skipped).</summary>
public static class ServerSentEvents
{
    /// <summary>One event as sent.</summary>
    public sealed record Message(string? Id, string Event, string Data);

    public static async IAsyncEnumerable<Message> ReadAsync(System.IO.Stream body, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null, name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0 || name is not null) yield return new Message(id, name ?? "message", data.ToString());
                id = name = null;
                data.Clear();
                continue;
            }
            if (line[0] == ':') continue;
            // Fields compared and values taken as spans: only what is kept becomes a string.
            var span = line.AsSpan();
            var colon = span.IndexOf(':');
            var field = colon < 0 ? span : span[..colon];
            var value = colon < 0 ? ReadOnlySpan<char>.Empty : span[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ') value = value[1..];
            if (field.SequenceEqual("data"))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(value);
            }
            else if (field.SequenceEqual("id"))
            {
                id = value.ToString();
            }
            else if (field.SequenceEqual("event"))
            {
                name = value.ToString();
            }
        }
    }
}
