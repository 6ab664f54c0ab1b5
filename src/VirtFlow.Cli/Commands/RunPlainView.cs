using System.Globalization;
using System.Threading.Channels;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Runtime.Events;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Plain lines for logs and pipes: <c>[12:00:01] step mirror started</c>, <c>[12:00:03] progress vda 45%</c>.
/// Every text that comes from the instance (ids, messages, bookmarks, labels) is redacted, escaped and bounded
/// (<see cref="TerminalText.Safe"/>). Progress is throttled per disk: a line at the first report, every 10 points, at least 5 s apart otherwise, and at 100%.
/// </summary>
internal sealed class RunPlainView(TextWriter output, bool showInstance) : RunView
{
    private static readonly TimeSpan QuietProgress = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, (int Percent, DateTimeOffset At)> _shown = new(StringComparer.Ordinal);

    protected override async Task PumpAsync(ChannelReader<EngineEvent> events)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            if (Line(e) is { } line)
            {
                await output.WriteLineAsync(line);
                await output.FlushAsync();
            }
        }
    }

    internal string? Line(EngineEvent e)
    {
        var text = e switch
        {
            InstanceStatusChanged { Status: Engine.Storage.InstanceStatus.Running } s when !_started.Contains(s.InstanceId) => Started(s),
            StepStarted s => $"step {Safe(s.StepPath)} {(s.Resumed ? "resumed" : "started")}{(s.Attempt > 1 ? $" (attempt {s.Attempt})" : "")}",
            StepSuspended s => $"step {Safe(s.StepPath)} waits for {string.Join(", ", s.Bookmarks.Select(b => Safe(b)))}",
            StepCompleted s => $"step {Safe(s.StepPath)} completed",
            StepFaulted s => $"step {Safe(s.StepPath)} faulted: {Safe(s.Message, TerminalText.LongMaxLength)}{(s.WillRetry ? " (will retry)" : "")}",
            ProgressReported p => Progress(p),
            _ => null,
        };
        if (text is null) return null;
        var who = showInstance ? $"{Safe(Short(e.InstanceId))} " : "";
        return $"[{e.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {who}{text}";
    }

    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    private string Started(InstanceStatusChanged s)
    {
        _started.Add(s.InstanceId);
        return $"instance {Safe(s.InstanceId)} of {Safe(s.WorkflowName)} running";
    }

    private string? Progress(ProgressReported e)
    {
        var p = RunProgress.From(e);
        if (p.Percent is not { } percent) return null;
        var key = e.InstanceId + "/" + p.Label;
        if (_shown.TryGetValue(key, out var last))
        {
            var due = percent >= last.Percent + 10
                || (percent == 100 && last.Percent != 100)
                || (percent != last.Percent && e.At - last.At >= QuietProgress);
            if (!due) return null;
        }
        _shown[key] = (percent, e.At);
        return $"progress {Safe(p.Label)} {percent}%";
    }

    private static string Short(string id) => id.Length > 8 ? id[..8] : id;

    /// <summary>Text from the workflow, the store or a peer (QMP errors in fault messages), made safe for a terminal.</summary>
    private static string Safe(string? text, int maxLength = TerminalText.DefaultMaxLength) => TerminalText.Safe(text, maxLength);
}
