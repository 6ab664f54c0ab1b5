namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// How the server binds and reads the <c>message</c> triggers of its published workflows (configuration section
/// <c>VirtFlow:Server:MessageTriggers</c>, e.g. <c>VirtFlow__Server__MessageTriggers__MaxMessageBytes=65536</c>).
/// </summary>
public sealed class MessageTriggerOptions
{
    /// <summary>Whether the server binds message triggers at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The largest message body accepted; a larger one goes to the error queue. Default 64 KiB.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How often the server compares its bindings with the published workflows (another server may have published). Default 2 s.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many messages of one type a server handles at once (also the prefetch). Default 4.</summary>
    public int ConcurrentMessages { get; set; } = 4;

    /// <exception cref="ArgumentException">A value out of range (one line naming it).</exception>
    public void Validate()
    {
        if (MaxMessageBytes is < 16 or > 16 * 1024 * 1024)
            throw new ArgumentException($"VirtFlow:Server:MessageTriggers:MaxMessageBytes {MaxMessageBytes} is out of range (16 to 16777216)");
        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromHours(1))
            throw new ArgumentException($"VirtFlow:Server:MessageTriggers:RefreshInterval {RefreshInterval} is out of range (100ms to 1h)");
        if (ConcurrentMessages is < 1 or > 256)
            throw new ArgumentException($"VirtFlow:Server:MessageTriggers:ConcurrentMessages {ConcurrentMessages} is out of range (1 to 256)");
    }
}
