using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>What every run of an instance needs from its engine.</summary>
internal sealed class EngineCore
{
    public required WorkflowEngineOptions Options { get; init; }
    public required IWorkflowStore Store { get; init; }
    public required IExpressionEvaluator Evaluator { get; init; }
    public required ActivityRegistry Activities { get; init; }
    public required TimeProvider Clock { get; init; }
    public required ILoggerFactory LoggerFactory { get; init; }
    public required ILogger Logger { get; init; }
    public required IServiceProvider Services { get; init; }
    public required EngineEventHub Hub { get; init; }

    /// <summary>True when a transport is configured (commands to other destinations than the engine can be sent).</summary>
    public required bool HasTransport { get; init; }

    /// <summary>Told about every timer committed, so the timer loop wakes up early when needed.</summary>
    public required Action<DateTimeOffset> TimerCommitted { get; init; }

    /// <summary>Told about every committed status of an instance (completion waiters).</summary>
    public required Action<WorkflowInstance> InstanceCommitted { get; init; }

    /// <summary>Told about outbox rows committed by an intermediate checkpoint: sent at once, without waiting for the run to end.</summary>
    public required Action<IReadOnlyList<OutboxMessage>> OutboxCommitted { get; init; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The clock's now truncated to the millisecond, as the stores keep times (so due-time comparisons agree).</summary>
    public DateTimeOffset StoreNow => DateTimeOffset.FromUnixTimeMilliseconds(Clock.GetUtcNow().ToUnixTimeMilliseconds());
}
