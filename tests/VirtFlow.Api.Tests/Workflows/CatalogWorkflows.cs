namespace VirtFlow.Api.Tests.Workflows;

/// <summary>The workflow texts of the catalog tests.</summary>
internal static class CatalogWorkflows
{
    /// <summary>Waits for the event <c>approved</c> of <c>inputs.approver</c>, then says which version ran.</summary>
    public const string ApprovalV1 = """
        name: approval
        description: waits for an approval
        inputs:
          approver: { type: string, required: true, description: who approves }
        steps:
          - id: approval
            type: waitEvent
            timeout: 10m
            with: { event: approved, correlation: "${ inputs.approver }" }
          - id: note
            type: script
            with: { code: "return 'first';" }
        outputs:
          ranAs: ${ steps.note.outputs.result }
        """;

    /// <summary>Version 2: the note says 'second', and a step <c>audit</c> is added after it.</summary>
    public static readonly string ApprovalV2 = ApprovalV1.Replace(
        "    with: { code: \"return 'first';\" }\n",
        "    with: { code: \"return 'second';\" }\n  - id: audit\n    type: log\n    with: { message: \"approved by ${ inputs.approver }\" }\n",
        StringComparison.Ordinal);

    /// <summary>Several mistakes: an unknown field, an unknown activity, a bad duration, a reference to an unknown step, an undeclared input.</summary>
    public const string Broken = """
        name: broken
        inputs:
          vm: { type: string, required: true }
        steps:
          - id: first
            type: vm.querry
            with: { host: h1, vm: "${ inputs.vm }" }
          - id: second
            type: delay
            timeot: 5s
            with: { duration: 5 parsecs }
          - id: third
            type: log
            with: { message: "${ steps.nowhere.outputs.x } ${ inputs.missing }" }
        """;
}
