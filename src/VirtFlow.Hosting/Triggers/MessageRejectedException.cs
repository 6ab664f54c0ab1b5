namespace VirtFlow.Hosting.Triggers;

/// <summary>A message a trigger cannot start anything from: it goes to the error queue with <see cref="Exception.Message"/> as the reason.</summary>
public sealed class MessageRejectedException : Exception
{
    public MessageRejectedException()
    {
    }

    public MessageRejectedException(string message)
        : base(message)
    {
    }

    public MessageRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
