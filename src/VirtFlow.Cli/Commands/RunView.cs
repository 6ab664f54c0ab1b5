using System.Threading.Channels;
using VirtFlow.Engine.Runtime.Events;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Shows an instance's live events while it runs. Events are posted from the engine's threads (quick: into a
/// channel) and rendered by one pump, so output is never interleaved.
/// </summary>
internal abstract class RunView
{
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _pump;

    /// <summary>Queues an event for rendering (any thread).</summary>
    public void Post(EngineEvent e) => _events.Writer.TryWrite(e);

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
