using System.Globalization;
using System.Threading.Channels;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Plain lines for logs and pipes: <c>[12:00:01] step mirror started</c>, <c>[12:00:03] disk vda copying 45%</c>.
/// A disk's copying lines are throttled: a line at the first report, every 10 points, at least 5 s apart otherwise,
/// and at 100%; its other phases always get a line.
/// </summary>
internal sealed class RunPlainView(TextWriter output, RunViewModel model) : RunView
{
    private static readonly TimeSpan QuietProgress = TimeSpan.FromSeconds(5);
    private readonly Dictionary<RunDisk, (int Percent, DateTimeOffset At)> _shown = [];

    protected override async Task PumpAsync(ChannelReader<LiveEvent> events)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            foreach (var line in Lines(e))
            {
                await output.WriteLineAsync(line);
            }
            await output.FlushAsync();
        }
    }

    /// <summary>The lines for <paramref name="e"/>, with their time (also used by tests).</summary>
    internal IEnumerable<string> Lines(LiveEvent e) =>
        model.Apply(e).Where(Due).Select(l => $"[{e.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {l.Text}");

    private bool Due(RunLine line)
    {
        if (line.Style != RunLineStyle.Progress || line.Disk is not { } disk) return true;
        if (disk.Percent is not { } percent) return !_shown.ContainsKey(disk) && Remember(disk, 0, line.Source.At);
        if (_shown.TryGetValue(disk, out var last))
        {
            var due = percent >= last.Percent + 10
                || (percent == 100 && last.Percent != 100)
                || (percent != last.Percent && line.Source.At - last.At >= QuietProgress);
            if (!due) return false;
        }
        return Remember(disk, percent, line.Source.At);
    }

    private bool Remember(RunDisk disk, int percent, DateTimeOffset at)
    {
        _shown[disk] = (percent, at);
        return true;
    }
}
