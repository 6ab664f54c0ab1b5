using System.Threading.Channels;
using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Client;

/// <summary>
/// The status and progress messages of the instances a client follows, in the order they came: a
/// <see cref="WorkflowStatusChanged"/> or a <see cref="WorkflowProgress"/>. Messages of other instances are dropped.
/// </summary>
public sealed class WorkflowWatch
{
    private readonly Channel<object> _messages = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _ids;

    /// <param name="instanceIds">The instances to follow.</param>
    public WorkflowWatch(IEnumerable<string> instanceIds)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        _ids = new HashSet<string>(instanceIds, StringComparer.Ordinal);
    }

    /// <summary>What came, to read in order.</summary>
    public ChannelReader<object> Messages => _messages.Reader;

    internal void Post(string instanceId, object message)
    {
        if (_ids.Contains(instanceId)) _messages.Writer.TryWrite(message);
    }
}
