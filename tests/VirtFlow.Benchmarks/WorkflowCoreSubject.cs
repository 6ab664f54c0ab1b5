using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Services;

namespace VirtFlow.Benchmarks;

/// <summary>
/// WorkflowCore 3.22 (benchmark peer) in its default single-node configuration: <c>AddWorkflow()</c> with no
/// options, i.e. its in-memory persistence provider, single-node queue, lock provider and event hub. The same
/// two workflows as VirtFlow's: ten <see cref="StepBody"/> steps each doing <c>N = N + 1</c>, and WaitFor(event,
/// key) then one such step. Two variants: <em>mapped</em>, the like-for-like one, where each step gets
/// <c>N + 1</c> through an input mapping expression and writes it back through an output mapping (WorkflowCore's
/// counterpart of a <c>${ vars.n + 1 }</c> expression and a variable; the event's payload is mapped out of
/// WaitFor too); and <em>direct</em>, its cheapest form, where the step body changes the workflow's data itself
/// (no mappings: WorkflowCore compiles an expression tree for every mapping it applies, which dominates its
/// cost). The last step signals completion (WorkflowCore persists its final state right after the step body
/// returns, an in-memory list update).
/// </summary>
internal sealed class WorkflowCoreSubject : IEngineSubject
{
    private readonly ServiceProvider _services;
    private readonly IWorkflowHost _host;
    private readonly WorkflowCoreSignals _signals;
    private readonly bool _direct;
    private int _wrongTenSteps;

    private WorkflowCoreSubject(ServiceProvider services, bool direct)
    {
        _services = services;
        _direct = direct;
        _host = services.GetRequiredService<IWorkflowHost>();
        _signals = services.GetRequiredService<WorkflowCoreSignals>();
        if (direct)
        {
            _host.RegisterWorkflow<WorkflowCoreTenStepsDirect, WorkflowCoreData>();
            _host.RegisterWorkflow<WorkflowCoreWaitingDirect, WorkflowCoreData>();
        }
        else
        {
            _host.RegisterWorkflow<WorkflowCoreTenSteps, WorkflowCoreData>();
            _host.RegisterWorkflow<WorkflowCoreWaiting, WorkflowCoreData>();
        }
    }

    /// <summary>The suite's name for this variant: <c>wc</c> or <c>wc-direct</c>.</summary>
    public string Variant => _direct ? "wc-direct" : "wc";

    public string Name => _direct ? "WorkflowCore 3.22 (in-memory, direct)" : "WorkflowCore 3.22 (in-memory, mapped)";

    /// <param name="direct">Steps change the data themselves instead of through input/output mappings.</param>
    /// <param name="ct">Stops the start.</param>
    public static async Task<WorkflowCoreSubject> CreateAsync(bool direct, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow();
        services.AddSingleton<WorkflowCoreSignals>();
        services.AddTransient<WorkflowCoreAddOneAndSignal>();
        services.AddTransient<WorkflowCoreAddOneDirectAndSignal>();
        var subject = new WorkflowCoreSubject(services.BuildServiceProvider(), direct);
        await subject._host.StartAsync(ct);
        return subject;
    }

    /// <summary>The effective defaults that matter here (read from the registered options), for the output.</summary>
    public string DescribeOptions()
    {
        var options = _services.GetRequiredService<WorkflowOptions>();
        var fields = new[] { "MaxConcurrentWorkflows", "PollInterval", "IdleTime" }
            .Select(name => (name, value: typeof(WorkflowOptions).GetProperty(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(options)
                ?? typeof(WorkflowOptions).GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(options)))
            .Where(p => p.value is not null)
            .Select(p => $"{p.name}={p.value}");
        return $"{string.Join(", ", fields)}, persistence {_services.GetRequiredService<IPersistenceProvider>().GetType().Name}";
    }

    public async Task RunTenStepsAsync(int n, CancellationToken ct)
    {
        var key = $"t-{n}";
        var done = _signals.Expect(key);
        await _host.StartWorkflow(_direct ? WorkflowCoreTenStepsDirect.Name : WorkflowCoreTenSteps.Name, 1, new WorkflowCoreData { Key = key });
        var (_, value) = await done.WaitAsync(TimeSpan.FromSeconds(30), ct);
        if (value != 10) Interlocked.Increment(ref _wrongTenSteps);
    }

    public Task<int> CountWrongTenStepsAsync(CancellationToken ct) => Task.FromResult(Volatile.Read(ref _wrongTenSteps));

    public Task StartWaitingAsync(int n, CancellationToken ct) =>
        _host.StartWorkflow(_direct ? WorkflowCoreWaitingDirect.Name : WorkflowCoreWaiting.Name, 1, new WorkflowCoreData { Key = Key(n) });

    /// <summary>
    /// Polls the number of stored event subscriptions (a private list of its memory provider, read under the lock it
    /// uses itself): a subscription is stored after the instance's state, so then the instance is really waiting.
    /// </summary>
    public async Task WaitUntilWaitingAsync(int count, CancellationToken ct)
    {
        var provider = _services.GetRequiredService<ISingletonMemoryProvider>();
        var list = provider.GetType().GetField("_subscriptions", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(provider) as ICollection
            ?? throw new InvalidOperationException("WorkflowCore's memory provider has no _subscriptions list: cannot tell when instances wait");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            int subscribed;
            lock (list) subscribed = list.Count;
            if (subscribed >= count) return;
            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                throw new TimeoutException($"{Name}: only {subscribed} of {count} instances subscribed");
            await Task.Delay(50, ct);
        }
    }

    public async Task<double> ResumeAsync(int n, CancellationToken ct)
    {
        var done = _signals.Expect(Key(n));
        var start = Stopwatch.GetTimestamp();
        await _host.PublishEvent(WorkflowCoreWaiting.EventName, Key(n), n);
        var (end, value) = await done.WaitAsync(TimeSpan.FromSeconds(30), ct);
        if (value != (_direct ? 1 : n + 1)) throw new InvalidOperationException($"{Name}: instance {n} completed with {value}");
        return Stats.Micros(start, end);
    }

    public string? StorageNote() => null;

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }

    private static string Key(int n) => $"k-{n}";
}

/// <summary>The workflows' data (WorkflowCore's counterpart of VirtFlow's variables and inputs).</summary>
public sealed class WorkflowCoreData
{
    public int N { get; set; }
    public string Key { get; set; } = "";
    public object? Payload { get; set; }
}

/// <summary>Completion signals by key: the timestamp and value of the last step.</summary>
public sealed class WorkflowCoreSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(long At, int Value)>> _pending = new(StringComparer.Ordinal);

    public Task<(long At, int Value)> Expect(string key)
    {
        var done = new TaskCompletionSource<(long, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[key] = done;
        return done.Task;
    }

    public void Signal(string key, int value)
    {
        if (_pending.TryRemove(key, out var done)) done.TrySetResult((Stopwatch.GetTimestamp(), value));
    }
}

/// <summary>One trivial step: <c>Result = Value</c>, with Value mapped from <c>N + 1</c> and Result mapped back to N.</summary>
public sealed class WorkflowCoreAddOne : StepBody
{
    public int Value { get; set; }
    public int Result { get; set; }

    public override ExecutionResult Run(IStepExecutionContext context)
    {
        Result = Value;
        return ExecutionResult.Next();
    }
}

/// <summary>The same as <see cref="WorkflowCoreAddOne"/>, then signals completion to the benchmark.</summary>
public sealed class WorkflowCoreAddOneAndSignal(WorkflowCoreSignals signals) : StepBody
{
    public int Value { get; set; }
    public int Result { get; set; }

    public override ExecutionResult Run(IStepExecutionContext context)
    {
        Result = Value;
        signals.Signal(((WorkflowCoreData)context.Workflow.Data).Key, Value);
        return ExecutionResult.Next();
    }
}

/// <summary><c>N = N + 1</c> on the workflow's data, no mappings.</summary>
public sealed class WorkflowCoreAddOneDirect : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        ((WorkflowCoreData)context.Workflow.Data).N++;
        return ExecutionResult.Next();
    }
}

/// <summary>The same as <see cref="WorkflowCoreAddOneDirect"/>, then signals completion to the benchmark.</summary>
public sealed class WorkflowCoreAddOneDirectAndSignal(WorkflowCoreSignals signals) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (WorkflowCoreData)context.Workflow.Data;
        data.N++;
        signals.Signal(data.Key, data.N);
        return ExecutionResult.Next();
    }
}

/// <summary>Ten sequential trivial steps, no mappings.</summary>
public sealed class WorkflowCoreTenStepsDirect : IWorkflow<WorkflowCoreData>
{
    public const string Name = "bench-ten-direct";

    public string Id => Name;
    public int Version => 1;

    public void Build(IWorkflowBuilder<WorkflowCoreData> builder)
    {
        var step = builder.StartWith<WorkflowCoreAddOneDirect>();
        for (var i = 2; i <= 9; i++) step = step.Then<WorkflowCoreAddOneDirect>();
        step.Then<WorkflowCoreAddOneDirectAndSignal>();
    }
}

/// <summary>Waits for event <c>go</c> with the instance's own key (payload not mapped), then one trivial step, no mappings.</summary>
public sealed class WorkflowCoreWaitingDirect : IWorkflow<WorkflowCoreData>
{
    public const string Name = "bench-wait-direct";

    public string Id => Name;
    public int Version => 1;

    public void Build(IWorkflowBuilder<WorkflowCoreData> builder) =>
        builder.WaitFor(WorkflowCoreWaiting.EventName, d => d.Key).Then<WorkflowCoreAddOneDirectAndSignal>();
}

/// <summary>Ten sequential trivial steps.</summary>
public sealed class WorkflowCoreTenSteps : IWorkflow<WorkflowCoreData>
{
    public const string Name = "bench-ten";

    public string Id => Name;
    public int Version => 1;

    public void Build(IWorkflowBuilder<WorkflowCoreData> builder)
    {
        var step = builder.StartWith<WorkflowCoreAddOne>().Input(s => s.Value, d => d.N + 1).Output(d => d.N, s => s.Result);
        for (var i = 2; i <= 9; i++)
            step = step.Then<WorkflowCoreAddOne>().Input(s => s.Value, d => d.N + 1).Output(d => d.N, s => s.Result);
        step.Then<WorkflowCoreAddOneAndSignal>().Input(s => s.Value, d => d.N + 1).Output(d => d.N, s => s.Result);
    }
}

/// <summary>Waits for event <c>go</c> with the instance's own key, then one trivial step.</summary>
public sealed class WorkflowCoreWaiting : IWorkflow<WorkflowCoreData>
{
    public const string Name = "bench-wait";
    public const string EventName = "go";

    public string Id => Name;
    public int Version => 1;

    public void Build(IWorkflowBuilder<WorkflowCoreData> builder) =>
        builder.WaitFor(EventName, d => d.Key)
            .Output(d => d.Payload, s => s.EventData)
            .Then<WorkflowCoreAddOneAndSignal>()
            .Input(s => s.Value, d => (int)d.Payload! + 1)
            .Output(d => d.N, s => s.Result);
}
