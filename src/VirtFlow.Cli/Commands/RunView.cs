using System.Threading.Channels;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Shows an instance's live events while it runs. Events are posted from the engine's threads (quick: into a
/// channel) and rendered by one pump, so output is never interleaved. They come from the engine in this process
/// (<c>run</c>, <c>resume</c>) or from a server's messages (<c>start --wait</c>: <see cref="Post(object)"/>), and look
/// the same either way.
/// </summary>
internal abstract class RunView
{
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _pump;

    /// <summary>Queues an event for rendering (any thread).</summary>
    public void Post(EngineEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Queues a server's <see cref="WorkflowStatusChanged"/> or <see cref="WorkflowProgress"/> as the engine event it was made from.</summary>
    public void Post(object message)
    {
        var e = message switch
        {
            WorkflowProgress p => WorkflowEventMessages.ToEngineEvent(p),
            WorkflowStatusChanged s => WorkflowEventMessages.ToEngineEvent(s),
            EngineEvent engineEvent => engineEvent,
            _ => null,
        };
        if (e is not null) Post(e);
    }

    /// <summary>Starts rendering.</summary>
    public void Start() => _pump = PumpAsync(_events.Reader);

    /// <summary>Renders what is queued, then stops.</summary>
    public async Task CompleteAsync()
    {
        _events.Writer.TryComplete();
        if (_pump is not null) await _pump;
    }

    protected abstract Task PumpAsync(ChannelReader<EngineEvent> events);

    /// <summary>
    /// The view for the output: none with <c>--json</c>; live progress bars on a terminal; plain, throttled lines otherwise.
    /// </summary>
    public static RunView? Create(TextWriter stdout, bool json, bool showInstance)
    {
        if (json) return null;
        if (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb")
            return new RunSpectreView(showInstance);
        return new RunPlainView(stdout, showInstance);
    }
}
