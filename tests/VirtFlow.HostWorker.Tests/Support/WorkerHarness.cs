using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.HostWorker;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>A <see cref="HostWorker"/> serving one VM named <c>vm1</c> on host <c>h1</c>, with a recording sink and commands made easy.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    public const string HostId = "h1";
    public const string VmName = "vm1";
    private static int _next;
    private readonly ILoggerFactory _loggers;

    private WorkerHarness(HostWorker worker, RecordingSink sink, ILoggerFactory loggers, LogCapture logs)
    {
        Worker = worker;
        Sink = sink;
        _loggers = loggers;
        Logs = logs;
    }

    /// <summary>Every line the worker logged.</summary>
    public LogCapture Logs { get; }

    public HostWorker Worker { get; }

    public RecordingSink Sink { get; }

    /// <summary>Starts a worker on <paramref name="qmpSocket"/> (and <paramref name="qgaSocket"/>), then waits for its first snapshot.</summary>
    public static async Task<WorkerHarness> StartAsync(string qmpSocket, ITestOutputHelper? output = null, string? qgaSocket = null,
        Action<HostWorkerOptions>? configure = null, RecordingSink? sink = null, bool waitForSnapshot = true)
    {
        var options = new HostWorkerOptions { HostId = HostId, Vms = [new HostVm(VmName, qmpSocket, qgaSocket)] };
        configure?.Invoke(options);
        sink ??= new RecordingSink();
        var logs = new LogCapture();
        var loggers = LoggerFactory.Create(b =>
        {
            b.AddProvider(logs);
            if (output is not null) b.AddProvider(new TestOutputLoggerProvider(output));
        });
        var worker = new HostWorker(options, sink, loggers);
        var harness = new WorkerHarness(worker, sink, loggers, logs);
        await worker.StartAsync();
        if (waitForSnapshot) await sink.WaitForAsync<VmJobsSnapshot>(_ => true);
        return harness;
    }

    /// <summary>A fresh command id.</summary>
    public static string NewId(string prefix = "cmd") => $"{prefix}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}"[..24];

    /// <summary>Fills in <see cref="HostCommand.CommandId"/> (fresh unless given), host and VM, and runs the command.</summary>
    public Task<CommandResult> RunAsync(HostCommand command) => Worker.HandleAsync(command, CancellationToken.None);

    /// <summary>Runs and asserts success; returns the result JSON as <typeparamref name="T"/>.</summary>
    public async Task<T> RunOkAsync<T>(HostCommand command) where T : class
    {
        var result = await RunAsync(command);
        Assert.True(result.Success, $"{command.GetType().Name} failed: {result.ErrorClass}: {result.Error}");
        return HostResultJson.Read<T>(result)!;
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync();
        _loggers.Dispose();
    }
}

/// <summary>Command builders with the harness's host and VM and fresh ids.</summary>
public static class Commands
{
    public static MirrorDisks Mirror(params DiskMirrorSpec[] disks) => new()
    {
        CommandId = WorkerHarness.NewId("mirror"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Disks = disks,
    };

    public static PivotJobs Pivot(params string[] jobs) => new()
    {
        CommandId = WorkerHarness.NewId("pivot"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, JobIds = jobs,
    };

    /// <summary>A pivot that holds the guest by <paramref name="mode"/> for the switch only.</summary>
    public static PivotJobs QuiescedPivot(string mode, params string[] jobs) => Pivot(jobs) with { Quiesce = mode, Lease = TimeSpan.FromMinutes(2) };

    public static CancelJobs Cancel(params string[] jobs) => new()
    {
        CommandId = WorkerHarness.NewId("cancel"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, JobIds = jobs,
    };

    public static DismissJobs Dismiss(params string[] jobs) => new()
    {
        CommandId = WorkerHarness.NewId("dismiss"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, JobIds = jobs,
    };

    public static CompleteJobs Complete(params string[] jobs) => new()
    {
        CommandId = WorkerHarness.NewId("complete"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, JobIds = jobs,
    };

    public static FinalizeJobs Finalize(params string[] jobs) => new()
    {
        CommandId = WorkerHarness.NewId("finalize"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, JobIds = jobs,
    };

    public static QuiesceVm Quiesce(string mode, TimeSpan? lease = null) => new()
    {
        CommandId = WorkerHarness.NewId("quiesce"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Mode = mode, Lease = lease,
    };

    public static UnquiesceVm Unquiesce(string? leaseId = null) => new()
    {
        CommandId = WorkerHarness.NewId("unquiesce"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, LeaseId = leaseId,
    };

    public static RenewQuiesceLease Renew(string leaseId, TimeSpan lease) => new()
    {
        CommandId = WorkerHarness.NewId("renew"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, LeaseId = leaseId, Lease = lease,
    };

    public static QueryVm Query() => new() { CommandId = WorkerHarness.NewId("query"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName };

    public static PauseVm Pause() => new() { CommandId = WorkerHarness.NewId("pause"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName };

    public static RawQmp Qmp(string command, string? argumentsJson = null) => new()
    {
        CommandId = WorkerHarness.NewId("qmp"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName, Command = command, ArgumentsJson = argumentsJson,
    };

    public static ResumeVm Resume() => new() { CommandId = WorkerHarness.NewId("resume"), HostId = WorkerHarness.HostId, Vm = WorkerHarness.VmName };
}
