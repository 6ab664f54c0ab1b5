using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Cli;

/// <summary>
/// The remote verbs as real <c>virtflow</c> processes against a real server over HTTP: <c>list</c> with a filter,
/// <c>status</c> with its steps, <c>cancel</c> of a waiting instance, <c>retry --from --input</c> of a faulted one,
/// <c>start --server</c> (with and without <c>--wait</c>), the connection from env VIRTFLOW_SERVER / VIRTFLOW_API_KEY, and
/// a wrong key as one line naming the server and 401.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_the_remote_cli_runs_as_a_process(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string Gate = """
        name: gate
        inputs:
          vm: { type: string, required: true }
        steps:
          - { id: wait, type: waitEvent, with: { event: go, correlation: "${ inputs.vm }" } }
          - { id: done, type: log, with: { message: "go for ${ inputs.vm }" } }
        """;

    private const string Flaky = """
        name: flaky
        inputs:
          fail: { type: boolean, default: true }
        steps:
          - { id: prepare, type: log, with: { message: "preparing" } }
          - { id: work, type: fail, if: "inputs.fail", with: { message: "work failed" } }
          - { id: finish, type: log, with: { message: "finished" } }
        """;

    [Fact]
    public async Task Each_verb_works_over_http_and_a_wrong_key_is_one_line_naming_the_server_and_401()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            workflows: [("gate.yaml", Gate), ("flaky.yaml", Flaky)]);
        var server = api.BaseAddress.ToString();
        var engine = api.Server.Engine;
        var waiting = await engine.StartAsync(api.Server.Workflows.Find("gate")!, new JsonObject { ["vm"] = "web1" });
        var faulted = await engine.StartAsync(api.Server.Workflows.Find("flaky")!);
        await Eventually.Until(async () => (await engine.GetInstanceAsync(waiting))?.Status == InstanceStatus.Suspended, Wait, "the gate waits");
        await Eventually.Until(async () => (await engine.GetInstanceAsync(faulted))?.Status == InstanceStatus.Faulted, Wait, "flaky faults");

        // list with a filter: the gate, not the faulted one.
        var list = await CliAsync([], "list", "--workflow", "gate", "--server", server, "--api-key", api.Keys["viewer"]);
        Assert.True(list.Code == 0, list.Err);
        Assert.Contains(waiting, list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(faulted, list.Out, StringComparison.Ordinal);

        // status, the connection from the environment: the instance and its steps.
        var env = new Dictionary<string, string> { ["VIRTFLOW_SERVER"] = server, ["VIRTFLOW_API_KEY"] = api.Keys["viewer"] };
        var status = await CliAsync(env, "status", waiting);
        Assert.True(status.Code == 0, status.Err);
        Assert.Contains($"{waiting} gate v1: suspended", status.Out, StringComparison.Ordinal);
        Assert.Contains("  step wait (waitEvent): ", status.Out, StringComparison.Ordinal);

        // cancel of the waiting instance ends it Cancelled.
        var cancel = await CliAsync([], "cancel", waiting, "--server", server, "--api-key", api.Keys["operator"]);
        Assert.True(cancel.Code == 0, cancel.Err);
        Assert.Contains($"cancel requested for {waiting}", cancel.Out, StringComparison.Ordinal);
        await Eventually.Until(async () => (await engine.GetInstanceAsync(waiting))?.Status == InstanceStatus.Cancelled, Wait, "the gate is cancelled");

        // retry of the faulted instance from its step, with the input that made it fail changed: it completes.
        var retry = await CliAsync([], "retry", faulted, "--from", "work", "--input", "fail=false", "--server", server, "--api-key", api.Keys["operator"]);
        Assert.True(retry.Code == 0, retry.Err);
        Assert.Contains($"instance {faulted} continues from step work", retry.Out, StringComparison.Ordinal);
        await Eventually.Until(async () => (await engine.GetInstanceAsync(faulted))?.Status == InstanceStatus.Completed, Wait, "flaky completes after its retry");
        Assert.Single(await engine.GetJournalAsync(faulted), j => j.Kind == "StepCompleted" && j.StepPath == "prepare");

        // start --server: the id; with --wait, followed to its end with run's exit code.
        var start = await CliAsync([], "start", "flaky", "--server", server, "--api-key", api.Keys["operator"], "--input", "fail=false");
        Assert.True(start.Code == 0, start.Err);
        var started = start.Out.Trim();
        await Eventually.Until(async () => (await engine.GetInstanceAsync(started))?.Status == InstanceStatus.Completed, Wait, $"started instance {started} completes");
        var completed = await CliAsync(env.ToDictionary(e => e.Key, e => e.Key == "VIRTFLOW_API_KEY" ? api.Keys["operator"] : e.Value),
            "start", "flaky", "--wait", "--input", "fail=false");
        Assert.True(completed.Code == 0, completed.Err);
        Assert.Contains("completed: flaky ", completed.Out, StringComparison.Ordinal);
        var failing = await CliAsync([], "start", "flaky", "--wait", "--server", server, "--api-key", api.Keys["operator"]);
        Assert.Equal(1, failing.Code);
        Assert.Contains("work failed", failing.Err, StringComparison.Ordinal);

        // A wrong key: one line naming the server and 401, exit 1.
        var wrong = await CliAsync([], "list", "--server", server, "--api-key", "vf_wrong");
        Assert.Equal(1, wrong.Code);
        var line = Assert.Single(wrong.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(server.TrimEnd('/'), line, StringComparison.Ordinal);
        Assert.Contains("401", line, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> CliAsync(Dictionary<string, string> environment, params string[] args)
    {
        await using var process = VirtFlowProcess.Start(environment, args);
        var code = await process.WaitForExitAsync(Wait);
        return (code, process.Stdout, process.Stderr);
    }
}
