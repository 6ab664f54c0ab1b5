using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// <c>start --wait --timeout</c> gives up on an instance that waits (exit 1, the instance goes on); once the event
/// comes, following the same message id again reports its end.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_an_instance_waits_for_an_event(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task Timeout_exits_1_and_the_same_message_id_later_reports_the_end()
    {
        var store = TestStore.Sqlite().Spec;
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, store, ("wait-approval.yaml", Workflows.WaitApproval));
        await using var server = await scene.StartServerAsync();
        var id = "approval-" + Guid.NewGuid().ToString("N")[..8];
        var approver = "ops-" + id;

        var waiting = await scene.RunStartAsync("wait-approval", "--message-id", id, "--input", $"approver={approver}", "--wait", "--timeout", "10s", "--json");

        Assert.True(waiting.Code == 1, $"exit {waiting.Code}\n{waiting.Stdout}\n{waiting.Stderr}");
        Assert.Matches($"virtflow start: instance {id} still (running|suspended) after 10s; it goes on on the server", waiting.Stderr);
        Assert.Contains(ServerScene.Document(waiting.Stdout)["status"]!.GetValue<string>(), new[] { "running", "suspended" });

        var (eventCode, _, eventErr) = await VirtFlowProcess.RunAsync(ServerScene.Finish, "event", "--store", store, "--name", "approved", "--correlation", approver);
        Assert.True(eventCode == 0, eventErr);

        var (code, stdout, stderr) = await scene.RunStartAsync("wait-approval", "--message-id", id, "--input", $"approver={approver}", "--wait", "--json");

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        var document = ServerScene.Document(stdout);
        Assert.Equal(id, document["id"]!.GetValue<string>());
        Assert.Equal(approver, document["outputs"]!["approvedBy"]!.GetValue<string>());
    }
}
