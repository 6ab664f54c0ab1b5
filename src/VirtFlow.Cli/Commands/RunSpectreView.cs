using System.Globalization;
using System.Threading.Channels;
using Spectre.Console;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The terminal view: step lines above live progress bars, one bar per disk (Spectre.Console) whose label tells the
/// disk's phase (copying, ready, switching, switched, rolled back).
/// </summary>
internal sealed class RunSpectreView(RunViewModel model) : RunView
{
    private readonly Dictionary<RunDisk, ProgressTask> _bars = [];

    /// <summary>Step lines as they come; the live bars start with the first disk (no empty live area before).</summary>
    protected override async Task PumpAsync(ChannelReader<LiveEvent> events)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            var lines = model.Apply(e);
            if (lines.Any(l => l.Disk is not null))
            {
                await ShowBarsAsync(lines, events);
                return;
            }
            foreach (var line in lines) WriteLine(line);
        }
    }

    private Task ShowBarsAsync(IReadOnlyList<RunLine> first, ChannelReader<LiveEvent> events) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .AutoRefresh(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                Show(context, first);
                await foreach (var e in events.ReadAllAsync()) Show(context, model.Apply(e));
                foreach (var bar in _bars.Values) bar.StopTask();
            });

    private void Show(ProgressContext context, IReadOnlyList<RunLine> lines)
    {
        foreach (var line in lines)
        {
            if (line.Disk is not { } disk)
            {
                WriteLine(line);
                continue;
            }
            if (line.Style != RunLineStyle.Progress) WriteLine(line);
            // (Spectre.Console refuses a task with an empty description: it threw at the first disk, ending every run on a terminal)
            var description = Markup.Escape($"{RunViewModel.Safe(disk.Device)} {disk.PhaseText}");
            if (!_bars.TryGetValue(disk, out var bar))
                _bars[disk] = bar = context.AddTask(description, autoStart: true, maxValue: Math.Max(1, disk.Length));
            bar.Description = description;
            if (disk.Length > 0) bar.MaxValue = disk.Length;
            bar.Value = Math.Min(disk.Offset, bar.MaxValue);
        }
    }

    private static void WriteLine(RunLine line) => AnsiConsole.MarkupLine(Style(line.Style, Markup.Escape(line.Text)));

    private static string Style(RunLineStyle style, string escaped) => style switch
    {
        RunLineStyle.Bad => $"[red]{escaped}[/]",
        RunLineStyle.Good => $"[green]{escaped}[/]",
        RunLineStyle.Waiting => $"[yellow]{escaped}[/]",
        _ => escaped,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{nameof(RunSpectreView)}({_bars.Count} bars)");
}
