using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// A real <c>virtflow worker</c> pointed at a port where no broker listens: by default every error is one log line
/// (MassTransit's own included), never a stack trace; <c>-vv</c> shows the stacks. The broker's password never shows.
/// </summary>
public sealed class When_the_broker_cannot_be_reached
{
    private static readonly TimeSpan Reported = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Exit = TimeSpan.FromMinutes(2);

    // The worker gives up after VirtFlow:Worker:BrokerStartTimeout (60 s by default); 8 s is enough to see MassTransit's retries.
    private static readonly Dictionary<string, string> GivesUpSooner = new() { ["VirtFlow__Worker__BrokerStartTimeout"] = "8s" };

    private static VirtFlowProcess StartWorker(params string[] extra) => VirtFlowProcess.Start(GivesUpSooner,
    [
        "worker", "--host-id", WorkerProcesses.NewHostId(), "--rabbitmq", "amqp://u:brokersecret@127.0.0.1:1/",
        "--vm", "vm1=qmp:/nonexistent/vm1.qmp", "--storage-root", TestDirs.Create("unreachable"), .. extra,
    ]);

    [Fact]
    public async Task Each_error_is_one_line_without_a_stack_trace_until_it_gives_up()
    {
        await using var worker = StartWorker();
        await worker.WaitForErrorAsync("Connection Failed", Reported);

        var code = await worker.WaitForExitAsync(Exit);

        var lines = worker.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == 1, $"exit {code}\n{worker}");
        Assert.DoesNotContain("   at ", worker.Stderr, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Matches(@"^(\[\d\d:\d\d:\d\d [A-Z]{3}\] |virtflow worker: )", l));
        Assert.Contains(lines, l => l.Contains("Connection Failed", StringComparison.Ordinal) && l.Contains("Connection refused", StringComparison.Ordinal));
        Assert.StartsWith("virtflow worker: cannot start (broker amqp://127.0.0.1:1/)", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("brokersecret", worker.Stdout + worker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_vv_the_stack_traces_appear()
    {
        await using var worker = StartWorker("-vv");

        await Eventually.Until(() => Task.FromResult(worker.Stderr.Contains("   at ", StringComparison.Ordinal) || worker.HasExited), Exit,
            "a stack trace in the log of " + worker);

        Assert.Contains("   at ", worker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("brokersecret", worker.Stdout + worker.Stderr, StringComparison.Ordinal);
    }
}
