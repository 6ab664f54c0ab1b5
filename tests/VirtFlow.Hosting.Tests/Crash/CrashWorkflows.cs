using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Crash;

/// <summary>The workflows the crash tests run; every step with an effect calls the test's HTTP server, which counts.</summary>
internal static class CrashWorkflows
{
    /// <summary>Waits three ways: a timer, an event, a command's reply. Calls /hit/first before and /hit/last after.</summary>
    public const string Waiting = """
        name: crash-waiting
        inputs:
          server: { type: string, required: true }
          tag: { type: string, required: true }
        outputs:
          approvedBy: ${ steps.approval.outputs.payload.by }
          commandId: ${ steps.notify.outputs.commandId }
          reply: ${ steps.notify.outputs.reply }
        steps:
          - id: first
            type: http
            with: { url: "${ inputs.server }/hit/first" }
          - id: nap
            type: delay
            with: { duration: 4s }
          - id: approval
            type: waitEvent
            with: { event: go, correlation: "${ inputs.tag }" }
          - id: notify
            type: message.send
            with:
              destination: recorder
              messageType: Note
              payload: { tag: "${ inputs.tag }" }
              waitForReply: true
          - id: last
            type: http
            with: { url: "${ inputs.server }/hit/last" }
        """;

    /// <summary>Calls /item/X for every item, two at a time, then /hit/done.</summary>
    public const string Running = """
        name: crash-running
        inputs:
          server: { type: string, required: true }
          items: { type: array, required: true }
        outputs:
          done: ${ steps.done.outputs.status }
        steps:
          - id: work
            type: forEach
            items: ${ inputs.items }
            as: item
            maxParallelism: 2
            steps:
              - id: call
                type: http
                with: { url: "${ inputs.server }/item/${ item }", timeout: 10m }
          - id: done
            type: http
            with: { url: "${ inputs.server }/hit/done" }
        """;

    public static string Write(string yaml, string name)
    {
        var path = Path.Combine(TestDirs.Create("crash-wf"), name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
