using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Http.Stream;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>
/// A read of the journal bigger than a client's buffer (a backlog after the server's reader paused) goes whole to a
/// client that has written everything it was given: the reader's pace does not drop a client that keeps up. A client
/// that still has events unread is dropped as before, with what fits given.
/// </summary>
public sealed class When_one_read_of_the_journal_is_bigger_than_a_client_buffer
{
    [Fact]
    public void A_client_with_nothing_unread_takes_it_whole_and_one_behind_is_dropped()
    {
        var backlog = Page(1, 40);
        using var keepsUp = new LiveSubscription(null, 16, 0);
        using var behind = new LiveSubscription(null, 16, 0);
        Assert.True(behind.Offer(Page(100, 1)));

        Assert.True(keepsUp.Offer(backlog));
        Assert.False(behind.Offer(backlog));

        Assert.Equal(40, keepsUp.Unread);
        Assert.Null(keepsUp.DroppedReason);
        Assert.Equal(16, behind.Unread);
        Assert.Equal("the client fell behind: 16 events unread", behind.DroppedReason);
        // Still more than its buffer unread when the next read comes: dropped.
        Assert.False(keepsUp.Offer(Page(41, 1)));
    }

    private static LivePage Page(long first, int count) =>
        LivePage.From([.. Enumerable.Range(0, count).Select(i => new JournalEntry { Sequence = first + i, InstanceId = "i", Kind = "Log", Message = "m" })]);
}
