using System.Globalization;
using System.Threading.Channels;
using Spectre.Console;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Runtime.Events;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The terminal view: step lines above live progress bars, one bar per disk (Spectre.Console), fed by the engine's
/// progress events <c>{device, offset, length}</c>.
/// </summary>
internal sealed class RunSpectreView(bool showInstance) : RunView
{
    private readonly RunPlainView _lines = new(TextWriter.Null, showInstance);
    private readonly Dictionary<string, ProgressTask> _bars = new(StringComparer.Ordinal);

    /// <summary>Step lines as they come; the live bars start with the first progress report (no empty live area before).</summary>
    protected override async Task PumpAsync(ChannelReader<EngineEvent> events)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            if (e is ProgressReported first)
            {
                await ShowBarsAsync(first, events);
                return;
            }
            WriteLine(e);
        }
    }

    private Task ShowBarsAsync(ProgressReported first, ChannelReader<EngineEvent> events) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .AutoRefresh(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                Show(context, first);
                await foreach (var e in events.ReadAllAsync())
                {
                    if (e is ProgressReported p) Show(context, p);
                    else WriteLine(e);
                }
                foreach (var bar in _bars.Values) bar.StopTask();
            });

    private void WriteLine(EngineEvent e)
    {
        if (_lines.Line(e) is { } line) AnsiConsole.MarkupLine(Style(e, Markup.Escape(line)));
    }

    private void Show(ProgressContext context, ProgressReported e)
    {
        var p = RunProgress.From(e);
        var key = e.InstanceId + "/" + p.Label;
        if (!_bars.TryGetValue(key, out var bar))
        {
            var label = showInstance ? $"{e.InstanceId[..Math.Min(8, e.InstanceId.Length)]} {p.Label}" : p.Label;
            _bars[key] = bar = context.AddTask(Markup.Escape(TerminalText.Safe(label)), autoStart: true, maxValue: Math.Max(1, p.Length));
        }
        if (p.Length > 0) bar.MaxValue = p.Length;
        bar.Value = Math.Min(p.Offset, bar.MaxValue);
    }

    private static string Style(EngineEvent e, string escaped) => e switch
    {
        StepFaulted => $"[red]{escaped}[/]",
        StepCompleted => $"[green]{escaped}[/]",
        StepSuspended => $"[yellow]{escaped}[/]",
        _ => escaped,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{nameof(RunSpectreView)}({_bars.Count} bars)");
}
