namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// Whether host events still reach the engine. An embedded process closes it before it stops its own worker: the
/// worker's last answers ("the worker is stopping") must not fault the steps waiting for them; after a restart the
/// commands are sent again with the same ids and answered for real.
/// </summary>
public sealed class HostEventGate
{
    private volatile bool _closed;

    public bool IsOpen => !_closed;

    public void Close() => _closed = true;
}
