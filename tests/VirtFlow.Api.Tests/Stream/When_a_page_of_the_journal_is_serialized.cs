using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Http.Stream;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>
/// The server's reader serializes a page of the journal into one array that a client of all instances writes with one
/// copy: each frame is still <c>id: SEQ</c> + <c>data: {LiveEvent}</c> as the serializer writes the event, and the
/// page's bytes are its frames one after the other.
/// </summary>
public sealed class When_a_page_of_the_journal_is_serialized
{
    [Fact]
    public void Each_frame_is_its_event_as_the_serializer_writes_it_and_the_page_is_the_frames_in_order()
    {
        var at = new DateTimeOffset(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);
        JournalEntry[] entries =
        [
            new() { Sequence = 7, InstanceId = "i-1", At = at, Kind = "StepStarted", StepPath = "loop[3]/copy" },
            new() { Sequence = 8, InstanceId = "i-1", At = at, Kind = "Log", StepPath = "s1", Message = "<é> & \"quotes\"\nline" },
            new() { Sequence = 12, InstanceId = "i-2", At = at, Kind = "Progress", Data = JsonNode.Parse("""{"disks":[{"device":"vda","offset":1,"length":2}]}""") },
        ];

        var page = LivePage.From(entries);

        Assert.Equal(3, page.Count);
        var expected = new StringBuilder();
        for (var i = 0; i < entries.Length; i++)
        {
            var frame = $"id: {entries[i].Sequence}\ndata: {JsonSerializer.Serialize(LiveEvent.From(entries[i]))}\n\n";
            Assert.Equal(frame, Encoding.UTF8.GetString(page[i].Bytes.Span));
            Assert.Equal((entries[i].Sequence, entries[i].InstanceId, entries[i].Kind), (page[i].Seq, page[i].InstanceId, page[i].Kind));
            expected.Append(frame);
        }
        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(page.Bytes.Span));
    }
}
