using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// A <c>virtflow worker</c> stopped gracefully (SIGTERM) while a command runs: the command goes back to the host's queue
/// instead of being answered "worker stopping" (which would fault the waiting step), and the next worker (here a standby)
/// runs and answers it.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_a_worker_is_stopped_during_a_command(RabbitMqFixture rabbit, ITestOutputHelper output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(120);

    [Fact]
    public Task The_command_goes_back_to_the_queue_and_the_next_worker_answers_it() => RequeueAsync().WaitAsync(TimeSpan.FromMinutes(6));

    private async Task RequeueAsync()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hostId = WorkerProcesses.NewHostId();
        await using var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
        // The test holds the workers' QMP monitor (one client at a time): a command waits for it, up to 15 s.
        var hold = await vm.ConnectAsync();
        try
        {
            await using var first = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm, "-v");
            await engine.WaitForAsync<WorkerOnline>(_ => true, Answer, "the first worker online");
            await using var standby = await WorkerProcesses.StartAsync(rabbit.Server, hostId, vm);
            try
            {
                await StopDuringAsync(engine, hostId, first, standby, hold);
            }
            finally
            {
                output.WriteLine(first.ToString());
                output.WriteLine(standby.ToString());
            }
        }
        finally
        {
            await hold.DisposeAsync();
        }
    }

    private async Task StopDuringAsync(EngineSide engine, string hostId, VirtFlowProcess first, VirtFlowProcess standby, IAsyncDisposable hold)
    {
        {

            await engine.SendAsync(new QueryVm { CommandId = "long-1", HostId = hostId, Vm = "vm1" });
            await first.WaitForErrorAsync("QueryVm long-1 for VM vm1 received", Answer);
            first.Terminate();
            await first.WaitForErrorAsync("goes back to the queue", Answer);
            await hold.DisposeAsync(); // the monitor is free for the next worker
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(90)));

            var result = await engine.ResultAsync("long-1", Answer);
            Assert.True(result.Success, $"{result.ErrorClass}: {result.Error}\n{engine.Describe()}");
            await standby.WaitForErrorAsync("QueryVm long-1 for VM vm1 succeeded", Answer);
            Assert.DoesNotContain(engine.Events.OfType<CommandResult>(), r => r.ErrorClass == HostErrorClasses.WorkerStopping);
            Assert.Single(engine.Events.OfType<CommandResult>(), r => r.CommandId == "long-1");
            Assert.DoesNotContain(WorkerProcesses.ListQueues(rabbit.Server), q => q.Name == HostQueues.CommandQueue(hostId) + "_error");
            Assert.False(standby.HasExited, standby.ToString());
        }
    }
}
