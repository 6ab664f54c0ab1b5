namespace VirtFlow.Hosting.Triggers;

/// <summary>A message could not be published (one line naming the broker, exchange or user).</summary>
public sealed class MessagePublishException : Exception
{
    public MessagePublishException()
    {
    }

    public MessagePublishException(string message)
        : base(message)
    {
    }

    public MessagePublishException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
