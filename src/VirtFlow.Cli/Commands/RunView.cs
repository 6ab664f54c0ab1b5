using System.Threading.Channels;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Shows an instance's live events while it runs, the same for <c>run</c>, <c>resume</c>, <c>start --wait</c> and
/// <c>watch</c>. Events are posted from any thread (quick: into a channel) and rendered by one pump, so output is never
/// interleaved. They come from the store's journal (<c>run</c>, <c>resume</c>), the server's live stream (<c>watch</c>,
/// <c>start --server --wait</c>) or a server's bus messages (<c>start --rabbitmq --wait</c>: <see cref="Post(object)"/>).
/// What a line says is decided by <see cref="RunViewModel"/>.
/// </summary>
internal abstract class RunView
{
    private readonly Channel<LiveEvent> _events = Channel.CreateUnbounded<LiveEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private Task? _pump;

    /// <summary>Queues an event for rendering (any thread).</summary>
    public void Post(LiveEvent e) => _events.Writer.TryWrite(e);

    /// <summary>Queues a server's <see cref="WorkflowStatusChanged"/> or <see cref="WorkflowProgress"/> as the journal line it reports.</summary>
    public void Post(object message)
    {
        switch (message)
        {
            case LiveEvent e:
                Post(e);
                break;
            case WorkflowProgress p:
                Post(new LiveEvent
                {
                    InstanceId = p.InstanceId,
                    At = p.At,
                    Kind = p.Kind,
                    Step = p.StepPath,
                    Message = p.Message,
                    Data = p.Kind switch
                    {
                        WorkflowProgressKinds.StepStarted => new System.Text.Json.Nodes.JsonObject { ["type"] = p.ActivityType, ["attempt"] = p.Attempt },
                        WorkflowProgressKinds.StepCompleted => new System.Text.Json.Nodes.JsonObject { ["outputs"] = Hosting.Server.WorkflowEventMessages.Object(p.DataJson) },
                        WorkflowProgressKinds.StepSuspended => new System.Text.Json.Nodes.JsonObject
                        {
                            ["bookmarks"] = new System.Text.Json.Nodes.JsonArray(p.Bookmarks.Select(b => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject { ["name"] = b }).ToArray()),
                        },
                        _ => Hosting.Server.WorkflowEventMessages.Object(p.DataJson),
                    },
                });
                break;
            case WorkflowStatusChanged s when s.Status == nameof(Engine.Storage.InstanceStatus.Running) && _started.Add(s.InstanceId):
                Post(new LiveEvent { InstanceId = s.InstanceId, At = s.At, Kind = "InstanceStarted", Message = $"workflow '{s.Workflow}' running" });
                break;
            case WorkflowStatusChanged s when WorkflowStatuses.IsFinal(s.Status) && s.Status != WorkflowStatuses.Rejected:
                Post(new LiveEvent { InstanceId = s.InstanceId, At = s.At, Kind = "Instance" + s.Status, Message = s.Fault });
                break;
        }
    }

    /// <summary>Starts rendering.</summary>
    public void Start() => _pump = PumpAsync(_events.Reader);

    /// <summary>Renders what is queued, then stops.</summary>
    public async Task CompleteAsync()
    {
        _events.Writer.TryComplete();
        if (_pump is not null) await _pump;
    }

    protected abstract Task PumpAsync(ChannelReader<LiveEvent> events);

    /// <summary>
    /// The view for the output: none with <c>--json</c> (unless <paramref name="jsonLines"/>: each event as a JSON line);
    /// live progress bars on a terminal; plain, throttled lines otherwise. <paramref name="verbose"/> (-v) adds the
    /// internal detail (what a waiting step's bookmarks are).
    /// </summary>
    public static RunView? Create(TextWriter stdout, bool json, bool showInstance, bool verbose = false, bool jsonLines = false)
    {
        if (json) return jsonLines ? new RunJsonLinesView(stdout) : null;
        var model = new RunViewModel(verbose, showInstance);
        if (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb")
            return new RunSpectreView(model);
        return new RunPlainView(stdout, model);
    }
}
