using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Definitions.Triggers;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_a_workflow_has_a_message_trigger
{
    private const string Steps = "steps: [ { type: log, with: { message: hi } } ]\n";

    private static ParseResult Parse(string yaml) => WorkflowParser.Parse(yaml, "triggered.yaml");

    [Fact]
    public void Its_fields_are_read_with_their_defaults()
    {
        var definition = Parse("""
            name: w
            inputs: { vm: { type: string } }
            triggers:
              - type: message
                messageType: MigrateVmStorage
                dedupeWindow: 1h
                correlationId: ${ message.ticket }
                inputs: { vm: "${ message.vmName }" }
              - type: message
                messageType: Other-1
            """ + "\n" + Steps).Definition!;

        var first = MessageTriggerSettings.Of(definition.Triggers[0])!;
        Assert.Equal("MigrateVmStorage", first.MessageType);
        Assert.Equal(TimeSpan.FromHours(1), first.DedupeWindow);
        Assert.Equal("${ message.ticket }", first.CorrelationId);
        Assert.Equal("${ message.vmName }", first.Inputs!["vm"]!.GetValue<string>());
        var second = MessageTriggerSettings.Of(definition.Triggers[1])!;
        Assert.Equal(MessageTriggerSettings.DefaultDedupeWindow, second.DedupeWindow);
        Assert.Null(second.Inputs);
        Assert.Null(second.CorrelationId);
    }

    [Fact]
    public void A_message_type_that_cannot_name_an_exchange_and_a_bad_window_are_reported_at_their_line_and_column()
    {
        var result = Parse("""
            name: w
            triggers:
              - type: message
                messageType: my.type_x
                dedupeWindow: 30d
              - type: message
                messageType: Fine
                dedupeWindow: soon
            """ + "\n" + Steps);

        var messages = result.Diagnostics.Where(d => d.IsError).Select(d => $"{d.Location.Line}:{d.Location.Column} {d.Message}").ToList();
        Assert.Contains(messages, m => m.StartsWith("4:18 invalid messageType 'my.type_x'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("5:19 'dedupeWindow' 30d is out of range", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("8:19 invalid duration 'soon' for 'dedupeWindow'", StringComparison.Ordinal));
    }
}
