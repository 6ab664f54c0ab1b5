using Serilog;
using Serilog.Core;
using Serilog.Events;
using VirtFlow.Hosting.Logging;

namespace VirtFlow.Hosting.Tests.Logging;

/// <summary>
/// The console format of every process (<see cref="VirtFlowLogging.Formatter"/>): whoever logs (VirtFlow, MassTransit,
/// Npgsql), a line holds no secret and no control character, and by default one event is one line.
/// </summary>
public sealed class When_logging_to_the_console
{
    private sealed class Collect : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    private static string Render(bool stackTraces, Action<ILogger> log)
    {
        var sink = new Collect();
        using (var logger = new LoggerConfiguration().Enrich.With(new ExceptionSummaryEnricher()).WriteTo.Sink(sink).CreateLogger())
            log(logger);
        var output = new StringWriter();
        foreach (var e in sink.Events) VirtFlowLogging.Formatter(stackTraces).Format(e, output);
        return output.ToString();
    }

    private static Exception Thrown(string message)
    {
        try
        {
            throw new InvalidOperationException(message, new IOException("inner with Password=\"a;b\""));
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    [Fact]
    public void Properties_and_exceptions_lose_their_secrets_and_control_characters_on_one_line()
    {
        var text = Render(stackTraces: false, log =>
        {
            log.Warning("Connection Failed: {Address} for {Store}", new Uri("amqp://user:secret@127.0.0.1:1/"), "postgres:Host=h;Password=\"a;b\"");
            log.Error(Thrown("QMP said \u001b[2J\u009b31m\nfake [00:00:00 ERR] line"), "Step {Step} failed: {Reason}", "st\u001bep", "reason\r\nwith lines");
        });

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^\[\d\d:\d\d:\d\d (WRN|ERR)\] ", l));
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a;b", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u009b', text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains("amqp://user:***@127.0.0.1:1/", lines[0], StringComparison.Ordinal);
        Assert.Contains("st\\x1bep", lines[1], StringComparison.Ordinal);
        Assert.Contains("(InvalidOperationException: QMP said \\x1b[2J\\u009b31m", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_stack_traces_the_stack_follows_redacted_and_escaped()
    {
        var text = Render(stackTraces: true, log => log.Error(Thrown("amqp://u:secret@h/ \u001b[2J"), "failed"));

        Assert.Contains("   at ", text, StringComparison.Ordinal);
        Assert.Contains("amqp://u:***@h/ \\x1b[2J", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a;b", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void A_long_value_is_bounded()
    {
        var text = Render(stackTraces: false, log => log.Warning("got {Line}", new string('z', 10_000)));

        Assert.True(text.Length < 2_200, $"{text.Length} chars");
        Assert.Contains("…(+8000 chars)", text, StringComparison.Ordinal);
    }
}
