namespace VirtFlow.Hosting.Messaging;

/// <summary>MassTransit's in-memory transport.</summary>
public sealed record InMemoryBusTransport : BusTransport
{
    internal InMemoryBusTransport()
    {
    }

    public override string ToString() => "memory:";
}
