using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Catalog;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Http;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Triggers;
using VirtFlow.Hosting.Schedules;

namespace VirtFlow.Hosting.Server;

/// <summary>
/// <c>virtflow server</c>: the engine alone, on a shared store and a broker. It consumes host events and command results
/// (<c>virtflow-engine</c>), <c>StartWorkflow</c> (<c>virtflow-start</c>) and <c>GetWorkflowStatus</c>
/// (<c>virtflow-status</c>); it dispatches its outbox to the per-host queues and publishes <c>WorkflowStatusChanged</c>
/// and <c>WorkflowProgress</c>. Workers run elsewhere (<c>virtflow worker</c>). Several servers may share a store and
/// a broker: they compete for messages, and one takes over the instances of another that died (expired lease).
/// With <see cref="VirtFlowServerOptions.Http"/> it also serves the HTTP API (Kestrel) from the same process and store;
/// several servers on one PostgreSQL serve the same API.
/// </summary>
public sealed class VirtFlowServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IWorkflowStore _store;
    private readonly TimeSpan _stopTimeout;
    private readonly ILogger _logger;
    private int _stopped;

    private VirtFlowServer(IHost host, IWorkflowStore store, TimeSpan stopTimeout)
    {
        _host = host;
        _store = store;
        _stopTimeout = stopTimeout;
        _logger = Services.GetRequiredService<ILoggerFactory>().CreateLogger<VirtFlowServer>();
    }

    /// <summary>The services of the process.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The engine.</summary>
    public WorkflowEngine Engine => Services.GetRequiredService<WorkflowEngine>();

    /// <summary>Where the HTTP API listens (the bound port when it was 0), or null without one.</summary>
    public Uri? HttpAddress { get; private set; }

    /// <summary>The workflows of its <c>--workflows</c> folder (imported into the catalog at start).</summary>
    public ServerWorkflows Workflows => Services.GetRequiredService<ServerWorkflows>();

    /// <summary>The workflow catalog: what it starts by name (the published versions), drafts, versions.</summary>
    public WorkflowCatalog Catalog => Services.GetRequiredService<WorkflowCatalog>();

    /// <summary>Opens the store (creating its schema), starts the bus (its queues declared) and the engine's background loop.</summary>
    /// <exception cref="ArgumentException">A missing or bad option.</exception>
    public static async Task<VirtFlowServer> StartAsync(VirtFlowServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var store = await StoreFactory.OpenAsync(options.StoreSpec!, ct: ct).ConfigureAwait(false);
        IHost? host = null;
        try
        {
            WebApplicationBuilder? web = null;
            IHostApplicationBuilder builder;
            if (options.Http is { } http)
            {
                web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
                web.WebHost.UseKestrelCore().ConfigureKestrel(k =>
                {
                    k.AddServerHeader = false;
                    k.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
                    k.Limits.MaxRequestHeadersTotalSize = http.MaxRequestHeadersBytes;
                    k.Limits.MaxRequestHeaderCount = http.MaxRequestHeaderCount;
                }).UseUrls(http.Url);
                web.Services.AddVirtFlowHttp(http, store);
                builder = web;
            }
            else
            {
                builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            }
            builder.Services.Configure<HostOptions>(o =>
            {
                o.ShutdownTimeout = options.StopTimeout;
                o.ServicesStartConcurrently = false;
                o.ServicesStopConcurrently = false;
            });
            options.Logging?.Invoke(builder.Logging);
            builder.Services.AddSingleton(new ServerWorkflows(options.Workflows!));
            builder.Services.AddSingleton(options);
            // Hosted services in this order: the publisher of the engine's events (subscribed before any start message
            // is consumed, so a client waiting since before the server came up sees every step), the bus, the engine's loop.
            builder.Services.AddHostedService<WorkflowEventPublisher>();
            builder.Services.AddVirtFlowBus(options.Transport!, bus =>
            {
                bus.WorkerIdentity = options.WorkerIdentity;
                bus.AddServer();
                options.Bus?.Invoke(bus);
            });
            // The catalog (before the engine, whose definitions by name it provides): a start by name runs its published version.
            builder.Services.AddSingleton(sp => new WorkflowCatalog(
                store as IWorkflowCatalogStore ?? throw new ArgumentException("the store keeps no workflow catalog", nameof(options)),
                sp.GetRequiredService<ActivityRegistry>(), options.Limits, sp.GetRequiredService<ILogger<WorkflowCatalog>>()));
            builder.Services.AddSingleton<IWorkflowDefinitionProvider>(sp =>
                new CatalogDefinitionProvider(sp.GetRequiredService<WorkflowCatalog>(), sp.GetRequiredService<WorkflowDefinitionRegistry>()));
            builder.Services.AddVirtFlowEngine(e =>
            {
                e.Store = store;
                e.Engine = options.Engine;
                e.Activities = options.Activities;
                foreach (var workflow in options.Workflows!.Workflows) e.Definitions.Add(workflow.Definition);
            });
            // Message triggers after the bus and the engine: their endpoints connect once the bus runs.
            builder.Services.AddMessageTriggers(options.MessageTriggers, store);
            // The scheduler (after the engine's loop): every schedule trigger of the published workflows, fired through Quartz.
            builder.Services.AddVirtFlowScheduler(options.Schedules, options.StoreSpec!, options.Engine.EngineId);
            if (web is not null)
            {
                var app = web.Build();
                app.UseVirtFlowHttp();
                host = app;
            }
            else
            {
                host = ((HostApplicationBuilder)builder).Build();
            }
            // The folder's workflows become published versions before any start message is consumed.
            await host.Services.GetRequiredService<WorkflowCatalog>().ImportAsync(options.Workflows!, options.Engine.EngineId, ct).ConfigureAwait(false);
            await host.StartAsync(ct).ConfigureAwait(false);
            var server = new VirtFlowServer(host, store, options.StopTimeout);
            if (web is not null)
            {
                var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
                server.HttpAddress = address is null ? null : new Uri(address);
                Http.Log.HttpListening(server._logger, address ?? "(unknown)");
            }
            Log.ServerStarted(server._logger, options.Engine.EngineId, options.Transport!.ToString() ?? "", server.Workflows.Names.Count);
            if (options.WorkerIdentity.TrustAnyWorker && options.Transport is RabbitMqBusTransport) Log.TrustingAnyWorker(server._logger);
            return server;
        }
        catch
        {
            if (host is not null)
            {
                await HostLifetime.AbandonStartAsync(host, options.StopTimeout, ct).ConfigureAwait(false);
            }
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the engine's loop (nothing new is sent), then the bus (messages in flight finish). Idempotent.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_stopTimeout);
        await HostLifetime.StopEngineThenHostAsync(_host, limit.Token).ConfigureAwait(false);
        Log.ServerStopped(_logger);
    }

    /// <summary>Stops (if not yet), then releases the services and the store.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await HostLifetime.DisposeAsync(_host).ConfigureAwait(false);
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }
}
