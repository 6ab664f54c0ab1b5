using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Definitions.Triggers;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Triggers;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// Keeps one receive endpoint <c>virtflow.msg.{messageType}</c> per <c>message</c> trigger of the published workflows: bound
/// when the server starts (before it reports started) and compared with the catalog every
/// <see cref="MessageTriggerOptions.RefreshInterval"/>, so a version published on any server binds, rebinds or unbinds on
/// every server. Each endpoint reads raw JSON (MassTransit's raw JSON deserializer, any message type), binds no message-type
/// exchange, publishes no faults and moves what it cannot start to its <c>_error</c> queue (<see cref="MessageTriggerErrorFilter"/>).
/// A message type belongs to one workflow: the first by name keeps it, the others are logged and listed as conflicts.
/// </summary>
public sealed class MessageTriggerBindings(IServiceProvider services, WorkflowCatalog catalog, MessageTriggerOptions options, ILogger<MessageTriggerBindings> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, (MessageTriggerSlot Slot, HostReceiveEndpointHandle Handle)> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int Version), IReadOnlyList<MessageTriggerBinding>> _read = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<(string, string)> _conflictsLogged = [];
    private volatile IReadOnlyList<MessageTriggerConflict> _conflicts = [];

    /// <summary>The bindings in force, by message type.</summary>
    public IReadOnlyList<MessageTriggerBinding> Bindings =>
        _endpoints.Values.Select(e => e.Slot.Current).OfType<MessageTriggerBinding>().OrderBy(b => b.MessageType, StringComparer.Ordinal).ToList();

    /// <summary>Triggers not bound because another workflow has their message type.</summary>
    public IReadOnlyList<MessageTriggerConflict> Conflicts => _conflicts;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.RefreshInterval, services.GetRequiredService<TimeProvider>());
        var purged = DateTimeOffset.MinValue;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
                if (now - purged > TimeSpan.FromMinutes(1))
                {
                    await services.GetRequiredService<IMessageDedupeStore>().PurgeExpiredMessageKeysAsync(stoppingToken).ConfigureAwait(false);
                    purged = now;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RefreshFailed(logger, TerminalText.Safe(e.Message, 300));
            }
        }
    }

    /// <summary>Compares the endpoints with the published workflows' message triggers and connects, updates or stops them.</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var wanted = new Dictionary<string, MessageTriggerBinding>(StringComparer.Ordinal);
            var conflicts = new List<MessageTriggerConflict>();
            var workflows = await catalog.Store.ListCatalogAsync(ct).ConfigureAwait(false);
            foreach (var workflow in workflows.Where(w => w.PublishedVersion > 0).OrderBy(w => w.Name, StringComparer.Ordinal))
            {
                foreach (var binding in await ReadAsync(workflow.Name, workflow.PublishedVersion, ct).ConfigureAwait(false))
                {
                    if (wanted.TryGetValue(binding.MessageType, out var holder))
                    {
                        conflicts.Add(new MessageTriggerConflict(binding.MessageType, binding.Workflow, binding.Version, holder.Workflow));
                        if (_conflictsLogged.Add((binding.MessageType, binding.Workflow)))
                            Log.Conflict(logger, binding.MessageType, binding.Workflow, holder.Workflow);
                        continue;
                    }
                    wanted[binding.MessageType] = binding;
                }
            }
            _conflicts = conflicts;
            foreach (var (type, endpoint) in _endpoints)
            {
                if (wanted.ContainsKey(type)) continue;
                endpoint.Slot.Current = null;
                await endpoint.Handle.StopAsync(ct).ConfigureAwait(false);
                _endpoints.TryRemove(type, out _);
                Log.Unbound(logger, type);
            }
            foreach (var (type, binding) in wanted)
            {
                if (_endpoints.TryGetValue(type, out var endpoint))
                {
                    var current = endpoint.Slot.Current;
                    if (current is not null && current.Workflow == binding.Workflow && current.Version == binding.Version) continue;
                    endpoint.Slot.Current = binding;
                    Log.Rebound(logger, type, binding.Workflow, binding.Version);
                    continue;
                }
                await ConnectAsync(binding, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ConnectAsync(MessageTriggerBinding binding, CancellationToken ct)
    {
        var slot = new MessageTriggerSlot(binding.MessageType) { Current = binding };
        var connector = services.GetRequiredService<IReceiveEndpointConnector>();
        var consumerLogger = services.GetRequiredService<ILoggerFactory>().CreateLogger<MessageTriggerConsumer>();
        var dedupe = services.GetRequiredService<IMessageDedupeStore>();
        var handle = connector.ConnectReceiveEndpoint(binding.Queue, (_, e) =>
        {
            e.ConfigureConsumeTopology = false;
            e.PublishFaults = false;
            e.ClearSerialization();
            e.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType, isDefault: true);
            e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
            e.ConcurrentMessageLimit = options.ConcurrentMessages;
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.PrefetchCount = options.ConcurrentMessages;
            e.ConfigureError(x =>
            {
                x.UseFilter(new MessageTriggerErrorFilter(binding.MessageType, dedupe, consumerLogger));
            });
            e.UseMessageRetry(r =>
            {
                r.Ignore<MessageRejectedException>();
                r.Ignore<System.Text.Json.JsonException>();
                r.Ignore<System.Runtime.Serialization.SerializationException>();
                r.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
            });
            e.Consumer(() => new MessageTriggerConsumer(slot,
                services.GetRequiredService<WorkflowEngine>(), services.GetRequiredService<IWorkflowStore>(), dedupe,
                services.GetRequiredService<IExpressionEvaluator>(), options, services.GetRequiredService<TimeProvider>(), consumerLogger));
        });
        await handle.Ready.WaitAsync(ct).ConfigureAwait(false);
        _endpoints[binding.MessageType] = (slot, handle);
        Log.Bound(logger, binding.MessageType, binding.Queue, binding.Workflow, binding.Version);
    }

    /// <summary>The message triggers of one published version (read once per version).</summary>
    private async Task<IReadOnlyList<MessageTriggerBinding>> ReadAsync(string name, int version, CancellationToken ct)
    {
        if (_read.TryGetValue((name, version), out var known)) return known;
        IReadOnlyList<MessageTriggerBinding> bindings;
        try
        {
            var published = await catalog.FindPublishedAsync(name, version, ct).ConfigureAwait(false);
            bindings = published is null
                ? []
                : published.Definition.Triggers.Select(MessageTriggerSettings.Of).OfType<MessageTriggerSettings>()
                    .Select(s => new MessageTriggerBinding(name, version, s, published.Definition)).ToList();
        }
        catch (WorkflowEngineException e)
        {
            Log.DefinitionUnreadable(logger, name, version, TerminalText.Safe(e.Message, 300));
            bindings = [];
        }
        _read[(name, version)] = bindings;
        return bindings;
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
