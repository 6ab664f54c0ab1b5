using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Runtime.Support;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

/// <summary>
/// The workflow engine: starts instances, resumes them on events and timers, recovers them after a crash,
/// sends their commands through the outbox. Every change of an instance is one store commit (state,
/// bookmarks, outbox, journal, consumed events) under optimistic concurrency, so several engines may share
/// one store. Thread-safe. Call <see cref="RunBackgroundAsync"/> (a hosted loop) for timers, sweeps and
/// crash recovery.
/// </summary>
public sealed partial class WorkflowEngine
{
    private readonly EngineCore _core;
    private readonly WorkflowEngineOptions _options;
    private readonly IWorkflowStore _store;
    private readonly IWorkflowDefinitionProvider _definitions;
    private readonly IOutboxTransport? _transport;
    private readonly ILogger _logger;
    private readonly KeyedAsyncLock _locks = new();
    private readonly ConcurrentDictionary<string, InstanceRun> _activeRuns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DefinitionIndex> _indexes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _savedDefinitions = new(StringComparer.Ordinal);

    /// <summary>Creates an engine. Nothing runs in the background until <see cref="RunBackgroundAsync"/> is called.</summary>
    /// <param name="options">Settings (validated).</param>
    /// <param name="store">Where instances live (initialized by the caller).</param>
    /// <param name="evaluator">The expression evaluator (Jint).</param>
    /// <param name="activities">The activities steps may use.</param>
    /// <param name="definitions">Finds definitions by name (<c>call</c>) and by hash (resuming an instance).</param>
    /// <param name="transport">Sends commands to other processes; null when no workflow sends any (a step that does faults clearly).</param>
    /// <param name="timeProvider">The clock (a fake one in tests); the system clock by default.</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="services">Given to activities (<see cref="ActivityContext.Services"/>); an empty provider by default.</param>
    public WorkflowEngine(
        WorkflowEngineOptions options,
        IWorkflowStore store,
        IExpressionEvaluator evaluator,
        ActivityRegistry activities,
        IWorkflowDefinitionProvider definitions,
        IOutboxTransport? transport = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(definitions);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _options = options;
        _store = store;
        _definitions = definitions;
        _transport = transport;
        _logger = loggerFactory.CreateLogger<WorkflowEngine>();
        _core = new EngineCore
        {
            Options = options,
            Store = store,
            Evaluator = evaluator,
            Activities = activities,
            Clock = timeProvider ?? TimeProvider.System,
            LoggerFactory = loggerFactory,
            Logger = _logger,
            Services = services ?? EmptyServiceProvider.Instance,
            Hub = new EngineEventHub(_logger),
            HasTransport = transport is not null,
            TimerCommitted = OnTimerCommitted,
            InstanceCommitted = OnInstanceCommitted,
            OutboxCommitted = DispatchInBackground,
        };
    }

    /// <summary>This engine's settings.</summary>
    public WorkflowEngineOptions Options => _options;

    /// <summary>The store this engine works on.</summary>
    public IWorkflowStore Store => _store;

    /// <summary>The activities this engine knows (also an <see cref="IActivityCatalog"/> for the validator).</summary>
    public ActivityRegistry Activities => _core.Activities;

    /// <summary>The engine's clock.</summary>
    public TimeProvider TimeProvider => _core.Clock;

    /// <summary>Live events (status changes, steps, progress), raised synchronously on the engine's threads: keep handlers quick.</summary>
    public event Action<EngineEvent>? EventRaised
    {
        add => _core.Hub.Raised += value;
        remove => _core.Hub.Raised -= value;
    }

    /// <summary>
    /// Live events as an async stream, optionally filtered, until <paramref name="ct"/> is cancelled. A slow reader
    /// loses the oldest events beyond <paramref name="capacity"/> (the journal keeps everything durable).
    /// </summary>
    public IAsyncEnumerable<EngineEvent> SubscribeAsync(Func<EngineEvent, bool>? filter = null, int capacity = 10_000, CancellationToken ct = default) =>
        _core.Hub.SubscribeAsync(filter, capacity, ct);
}
