namespace VirtFlow.Hosting.Client;

/// <summary>What the live stream delivers: an event, a drop (the server let go of a slow client), or the instance's end.</summary>
public abstract record LiveStreamItem
{
    /// <summary>A journal line.</summary>
    public sealed record Event(LiveEvent Value) : LiveStreamItem;

    /// <summary>The server dropped this client (it fell behind); resume after <paramref name="LastSeq"/>.</summary>
    public sealed record Dropped(string Reason, long LastSeq) : LiveStreamItem;

    /// <summary>The instance ended with <paramref name="Status"/> (instance streams only).</summary>
    public sealed record End(string Status, long LastSeq) : LiveStreamItem;
}
