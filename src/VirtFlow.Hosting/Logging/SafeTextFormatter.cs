using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using VirtFlow.Contracts.Text;

namespace VirtFlow.Hosting.Logging;

/// <summary>
/// Renders a log event with an output template, then makes the line safe for a terminal and a log file, whoever
/// logged it (VirtFlow, MassTransit, Npgsql): every string property is redacted (<see cref="SecretRedactor"/>), escaped
/// and bounded (<see cref="TerminalText.Safe"/>), and the whole rendered text is redacted again (messages and exceptions
/// that are not properties) and escaped. Without <paramref name="multiLine"/> an event is exactly one line; with it
/// (stack traces) the exception's own line breaks are kept, nothing else.
/// </summary>
internal sealed class SafeTextFormatter(string outputTemplate, IFormatProvider? formatProvider, bool multiLine) : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _inner = new(outputTemplate, formatProvider);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var rendered = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _inner.Format(Sanitized(logEvent), rendered);
        var text = rendered.ToString();
        var body = text.EndsWith('\n') ? text[..^1] : text;
        body = TerminalText.Escape(SecretRedactor.Redact(body), keepNewlines: multiLine);
        output.Write(body);
        if (body.Length != text.Length) output.Write('\n');
    }

    /// <summary>The event with its string properties made safe (the rest as it was).</summary>
    internal static LogEvent Sanitized(LogEvent logEvent) =>
        new(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate,
            logEvent.Properties.Select(p => new LogEventProperty(p.Key, Sanitized(p.Value))), logEvent.TraceId ?? default, logEvent.SpanId ?? default);

    private static LogEventPropertyValue Sanitized(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(TerminalText.Safe(s, TerminalText.LongMaxLength)),
        // Other objects (a Uri with its user info, an exception) as their safe text, shown without JSON quotes.
        ScalarValue { Value: { } other } when other is not ValueType => new ScalarValue(TerminalText.Safe(other.ToString(), TerminalText.LongMaxLength)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Sanitized)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Sanitized(p.Value))), structure.TypeTag),
        _ => value,
    };
}
