namespace VirtFlow.Hosting.Messaging.Broker;

/// <summary>A step of <see cref="BrokerSetup"/> failed; the message is one line naming it.</summary>
public sealed class BrokerSetupException : Exception
{
    public BrokerSetupException()
    {
    }

    public BrokerSetupException(string message)
        : base(message)
    {
    }

    public BrokerSetupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
