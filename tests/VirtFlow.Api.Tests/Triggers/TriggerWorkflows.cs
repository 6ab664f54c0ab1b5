namespace VirtFlow.Api.Tests.Triggers;

/// <summary>The workflows of the message trigger tests.</summary>
internal static class TriggerWorkflows
{
    /// <summary>Started by <c>Greet</c>: the message's fields are its inputs (vm required, count an integer).</summary>
    public const string Greet = """
        name: greet
        inputs:
          vm: { type: string, required: true }
          count: { type: integer, default: 1 }
        triggers:
          - type: message
            messageType: Greet
            dedupeWindow: 1h
        steps:
          - id: hello
            type: log
            with: { message: "hello ${ inputs.vm } x${ inputs.count }" }
        """;

    /// <summary>Started by <c>MoveVm</c>: inputs mapped from the message with expressions, the correlation id from its ticket.</summary>
    public const string Mapped = """
        name: mapped
        inputs:
          vm: { type: string, required: true }
          host: { type: string, default: local }
        triggers:
          - type: message
            messageType: MoveVm
            correlationId: "${ message.ticket }"
            inputs:
              vm: ${ message.vmName }
              host: "${ message.site + '-h1' }"
        steps:
          - id: hello
            type: log
            with: { message: "move ${ inputs.vm } on ${ inputs.host }" }
        """;
}
