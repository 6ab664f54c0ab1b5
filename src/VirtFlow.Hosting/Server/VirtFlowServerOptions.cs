using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Server;

/// <summary>What <see cref="VirtFlowServer.StartAsync"/> puts together.</summary>
public sealed class VirtFlowServerOptions
{
    /// <summary>The store: <c>sqlite:PATH</c> or <c>postgres:CONNSTRING</c>. Required.</summary>
    public string? StoreSpec { get; set; }

    /// <summary>The bus (RabbitMQ for a real server). Required.</summary>
    public BusTransport? Transport { get; set; }

    /// <summary>The workflows started by name (the <c>--workflows</c> folder, loaded and valid). Required.</summary>
    public WorkflowLoadResult? Workflows { get; set; }

    /// <summary>
    /// What a workflow text may hold (catalog drafts, published versions, ad hoc definitions, <c>/api/validate</c>); default
    /// <see cref="WorkflowLimits.Default"/> (<c>VIRTFLOW_MAX_*</c> for <c>virtflow server</c>).
    /// </summary>
    public WorkflowLimits Limits { get; set; } = WorkflowLimits.Default;

    /// <summary>
    /// Whether a <c>StartWorkflow</c> may bring its own definition (<c>DefinitionText</c>, as <c>virtflow start FILE</c>
    /// sends): any client that may publish a start could then run scripts, HTTP calls and QMP commands. Default false:
    /// only the <see cref="Workflows"/> run, and such a start is rejected with a reason naming this setting
    /// (<c>--allow-adhoc-definitions</c>, configuration <c>VirtFlow:Server:AllowAdhocDefinitions</c>).
    /// </summary>
    public bool AllowAdhocDefinitions { get; set; }

    /// <summary>
    /// The HTTP API (Kestrel, minimal APIs, API keys) served from this process; null: none. <c>virtflow server</c> serves it
    /// on <see cref="VirtFlowHttpOptions.DefaultUrl"/> unless told otherwise (<c>--http</c>).
    /// </summary>
    public VirtFlowHttpOptions? Http { get; set; }

    /// <summary>The engine's settings (its id names it in leases and logs: unique per process). Default: 30 s lease.</summary>
    public WorkflowEngineOptions Engine { get; set; } = new()
    {
        EngineId = $"server:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}",
    };

    /// <summary>
    /// Which RabbitMQ user may publish a host's events and command results: by default the host's worker user
    /// (<c>virtflow-worker-{host}</c>) or the server's own; anything else is dropped and logged
    /// (<c>--trust-any-worker</c>, <c>--worker-user</c>).
    /// </summary>
    public WorkerIdentityOptions WorkerIdentity { get; set; } = new();

    /// <summary>The message triggers of the published workflows (<see cref="Triggers.MessageTriggerOptions"/>).</summary>
    public Triggers.MessageTriggerOptions MessageTriggers { get; set; } = new();

    /// <summary>The scheduler (Quartz): clustered on PostgreSQL, one server on SQLite. See docs/schedules.md.</summary>
    public Schedules.SchedulerOptions Schedules { get; set; } = new();

    /// <summary>Activities beyond the built-in and VM ones (tests).</summary>
    public Action<ActivityRegistry>? Activities { get; set; }

    /// <summary>More on the bus.</summary>
    public Action<VirtFlowBusBuilder>? Bus { get; set; }

    /// <summary>Logging providers and filters; none by default.</summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    /// <summary>How long stopping may take at most (messages in flight). Default 30 s.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(StoreSpec)) throw new ArgumentException("a store is required (sqlite:PATH or postgres:CONNSTRING)", nameof(StoreSpec));
        if (Transport is null) throw new ArgumentException("a bus is required (a RabbitMQ URI)", nameof(Transport));
        if (Workflows is null) throw new ArgumentException("the workflows are required", nameof(Workflows));
        if (Workflows.HasErrors) throw new ArgumentException("the workflows have errors", nameof(Workflows));
        ArgumentNullException.ThrowIfNull(Engine);
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
        ArgumentNullException.ThrowIfNull(WorkerIdentity);
        WorkerIdentity.Validate();
        Http?.Validate();
        ArgumentNullException.ThrowIfNull(Schedules);
        Schedules.Validate();
        Engine.Validate();
    }
}
