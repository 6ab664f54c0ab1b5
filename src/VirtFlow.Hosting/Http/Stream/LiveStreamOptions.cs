namespace VirtFlow.Hosting.Http.Stream;

/// <summary>The live stream's limits (<c>VirtFlow:Server:Stream</c>).</summary>
public sealed class LiveStreamOptions
{
    /// <summary>
    /// How often the server's one reader looks at the store's journal when its own engine did not wake it (commits made
    /// by another server on the same PostgreSQL). Default 250 ms.
    /// </summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The least time between two reads of the journal when the engine keeps waking the reader: commits that come
    /// closer together are read, serialized once and written to every client as one batch (one write and flush per
    /// client), so a busy engine costs each client tens of writes a second, not one per commit. It is also the most it
    /// adds to an event's delivery. Default 50 ms; 0 reads at every wake.
    /// </summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How many events a client may have unread; one more and it is dropped (an <c>event: dropped</c> names the reason and
    /// the sequence to resume from). A client with nothing unread takes a whole read of the journal however large (a
    /// backlog after the reader paused is not the client's fault). The engine never waits for a client. Default 10,000:
    /// about 1.5 s of an engine flat out on two cores (3 journal lines a step). The events are shared by every client
    /// (a client's buffer holds references to the frames the reader made once), so a deep buffer costs little.
    /// </summary>
    public int ClientBuffer { get; set; } = 10_000;

    /// <summary>A comment line sent when nothing happened for this long, so proxies keep the connection. Default 15 s.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most streams open at once on this server; more get 503. Default 1000.</summary>
    public int MaxClients { get; set; } = 1000;

    internal void Validate()
    {
        if (Poll < TimeSpan.FromMilliseconds(10) || Poll > TimeSpan.FromMinutes(1)) throw new ArgumentException("the stream's poll must be between 10 ms and 1 minute", nameof(Poll));
        if (Coalesce < TimeSpan.Zero || Coalesce > TimeSpan.FromSeconds(1)) throw new ArgumentException("the stream's coalesce window must be between 0 and 1 s", nameof(Coalesce));
        if (ClientBuffer < 16) throw new ArgumentException("the stream's client buffer must hold at least 16 events", nameof(ClientBuffer));
        if (Heartbeat < TimeSpan.FromSeconds(1)) throw new ArgumentException("the stream's heartbeat must be at least 1 s", nameof(Heartbeat));
        if (MaxClients < 1) throw new ArgumentException("the stream must allow at least one client", nameof(MaxClients));
    }
}
