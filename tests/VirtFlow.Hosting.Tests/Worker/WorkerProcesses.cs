using System.Text.Json;
using VirtFlow.Contracts;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>Starting real <c>virtflow worker</c> processes and asking the test broker about its queues.</summary>
internal static class WorkerProcesses
{
    public static readonly TimeSpan Ready = TimeSpan.FromSeconds(120);

    public static string NewHostId() => "hv-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts <c>virtflow worker</c> for <paramref name="hostId"/> serving <paramref name="vm"/> as <c>vm1</c> and waits for its ready line.</summary>
    public static async Task<VirtFlowProcess> StartAsync(RabbitMqServer rabbit, string hostId, QemuVm vm, params string[] extra)
    {
        string[] args = ["worker", "--host-id", hostId, "--rabbitmq", rabbit.AmqpUri.ToString(), "--vm", $"vm1=qmp:{vm.QmpSocketPath}",
            "--storage-root", vm.Dir, .. extra];
        var process = VirtFlowProcess.Start(args);
        try
        {
            await process.WaitForLineAsync("virtflow worker ready", Ready);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return process;
    }

    /// <summary>A mirror of <c>vda</c> to <c>{vm.Dir}/t-vda.qcow2</c> as job <c>m-vda</c>, at <paramref name="speed"/> bytes/s.</summary>
    public static MirrorDisks Mirror(string hostId, string commandId, QemuVm vm, long speed) => new()
    {
        CommandId = commandId,
        HostId = hostId,
        Vm = "vm1",
        Disks = [new DiskMirrorSpec("vda", Path.Combine(vm.Dir, "t-vda.qcow2"), "qcow2", "m-vda", Speed: speed)],
    };

    /// <summary>The queues of the test broker: name, durable, arguments (<c>rabbitmqctl list_queues</c>).</summary>
    public static IReadOnlyList<(string Name, bool Durable, string Arguments)> ListQueues(RabbitMqServer rabbit)
    {
        var environment = File.ReadAllLines(Path.Combine(rabbit.Dir!, "node.env")).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        var output = ServerCommands.RunChecked("rabbitmqctl", ["-n", rabbit.NodeName!, "list_queues", "name", "durable", "arguments", "--formatter", "json", "-q"],
            TimeSpan.FromSeconds(60), environment: environment);
        using var json = JsonDocument.Parse(output[output.IndexOf('[', StringComparison.Ordinal)..]);
        return json.RootElement.EnumerateArray()
            .Select(q => (q.GetProperty("name").GetString()!, q.GetProperty("durable").GetBoolean(), q.GetProperty("arguments").GetRawText()))
            .ToList();
    }
}
