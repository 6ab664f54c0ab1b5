using System.Text.Json.Nodes;
using Spectre.Console;
using VirtFlow.Cli.Commands;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// The terminal view (<see cref="RunSpectreView"/>, used when stdout is a terminal: <c>virtflow run</c> and the demo
/// typed by hand) draws one bar per disk. Spectre.Console refuses a bar with an empty label; the view once created
/// each bar so and crashed at the first disk.
/// </summary>
public sealed class When_run_shows_progress_bars_on_a_terminal
{
    [Fact]
    public async Task Each_disk_gets_a_bar_labelled_with_its_phase()
    {
        var output = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        try
        {
            var view = new RunSpectreView(new RunViewModel(verbose: false, showInstance: false));
            view.Start();
            var t0 = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
            foreach (var (device, offset) in new[] { ("vda", 0L), ("vdb", 300L), ("vda", 1000L) })
                view.Post(new LiveEvent
                {
                    InstanceId = "i", At = t0, Kind = "Progress", Step = "move/wait",
                    Data = new JsonObject { ["device"] = device, ["offset"] = offset, ["length"] = 1000 },
                });
            await view.CompleteAsync();
        }
        finally
        {
            AnsiConsole.Console = previous;
        }

        Assert.Contains("vda copying", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("vdb copying", output.ToString(), StringComparison.Ordinal);
    }
}
