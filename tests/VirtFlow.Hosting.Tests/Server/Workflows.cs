namespace VirtFlow.Hosting.Tests.Server;

/// <summary>The workflows these tests give the server.</summary>
internal static class Workflows
{
    /// <summary>Asks the worker of host <c>inputs.host</c> about a VM it does not serve (its answer is the proof it was reached), then computes.</summary>
    public const string AskHost = """
        name: ask-host
        inputs:
          host: { type: string, required: true }
          n: { type: number, default: 20 }
        steps:
          - id: query
            type: message.send
            with:
              destination: "${ inputs.host }"
              messageType: QueryVm
              payload: { vm: nowhere }
              waitForReply: true
              replyTimeout: 1m
          - id: double
            type: script
            with: { code: "return inputs.n * 2 + 2;" }
        outputs:
          answeredBy: ${ steps.query.outputs.reply.hostId }
          errorClass: ${ steps.query.outputs.reply.errorClass }
          answer: ${ steps.double.outputs.result }
        """;

    /// <summary>Only computes: no host involved.</summary>
    public const string Compute = """
        name: compute
        inputs:
          n: { type: number, default: 1 }
        steps:
          - id: triple
            type: script
            with: { code: "return inputs.n * 3;" }
        outputs:
          tripled: ${ steps.triple.outputs.result }
        """;

    /// <summary>A VM step for host <c>inputs.host</c> with a short command timeout.</summary>
    public const string QueryVm = """
        name: query-vm
        inputs:
          host: { type: string, required: true }
        steps:
          - id: query
            type: vm.query
            with: { host: "${ inputs.host }", vm: web1, commandTimeout: 3s }
        """;

    /// <summary>Waits for the event <c>approved</c> of <c>inputs.approver</c>.</summary>
    public const string WaitApproval = """
        name: wait-approval
        inputs:
          approver: { type: string, required: true }
        steps:
          - id: approval
            type: waitEvent
            timeout: 10m
            with: { event: approved, correlation: "${ inputs.approver }" }
        outputs:
          approvedBy: ${ inputs.approver }
        """;
}
