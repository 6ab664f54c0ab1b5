using System.Text.Json.Nodes;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// The whole deployment on the per-role users of <c>virtflow broker setup</c>, as processes: <c>virtflow server</c> as
/// <c>virtflow-server</c>, <c>virtflow worker</c> of host <c>hq</c> as <c>virtflow-worker-hq</c> with a real QEMU VM,
/// <c>virtflow start --wait</c> as <c>virtflow-client</c>. The shipped copy-disks-pivot runs to its end: the worker's job
/// events and results (checked for their <c>user_id</c>) resume the instance, and the client follows it on its own
/// temporary queue.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class When_narrow_users_move_a_disk(BrokerFixture broker)
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(2);

    [Fact]
    public Task The_legitimate_workers_events_resume_the_instance_end_to_end() => MoveAsync().WaitAsync(TimeSpan.FromMinutes(6));

    private async Task MoveAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var workflows = TestDirs.Create("workflows");
        File.Copy(Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml"), Path.Combine(workflows, "copy-disks-pivot.yaml"));
        var store = TestStore.Sqlite().Spec;

        await using var server = VirtFlowProcess.Start("server", "--rabbitmq", broker.Role("server").ToString(), "--store", store, "--workflows", workflows,
            "--http", "http://127.0.0.1:0");
        await server.WaitForLineAsync("virtflow server ready", Ready);
        await using var worker = VirtFlowProcess.Start("worker", "--host-id", "hq", "--rabbitmq", broker.Role("worker-hq").ToString(),
            "--vm", $"vm1=qmp:{vm.QmpSocketPath}", "--storage-root", vm.Dir);
        await worker.WaitForLineAsync("virtflow worker ready", Ready);

        var target = Path.Combine(vm.Dir, "moved-vda.qcow2");
        var inputs = Path.Combine(TestDirs.Create("inputs"), "inputs.json");
        await File.WriteAllTextAsync(inputs, new JsonObject
        {
            ["host"] = "hq",
            ["vm"] = "vm1",
            ["quiesce"] = "pause",
            ["disks"] = new JsonArray(new JsonObject { ["device"] = "vda", ["target"] = target, ["format"] = "qcow2" }),
        }.ToJsonString());
        await using var start = VirtFlowProcess.Start("start", "copy-disks-pivot", "--rabbitmq", broker.Role("client").ToString(),
            "--inputs", inputs, "--wait", "--json", "--timeout", "4m");
        var code = await start.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(code == 0, $"exit {code}\n{start.Stdout}\n{start.Stderr}\nserver:\n{server}\nworker:\n{worker}");
        var document = JsonNode.Parse(start.Stdout)!.AsObject();
        Assert.Equal("completed", document["status"]!.GetValue<string>());
        Assert.Equal(target, (await vm.Monitor.QueryBlockAsync()).Select(b => b.Inserted?.File).FirstOrDefault(f => f == target));
        Assert.DoesNotContain("dropped: sent by RabbitMQ user", server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ACCESS_REFUSED", worker.Stderr + server.Stderr + start.Stderr, StringComparison.Ordinal);
    }
}
