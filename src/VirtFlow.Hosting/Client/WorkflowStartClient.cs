using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Client;

/// <summary>
/// The client side of the server's workflow API (<c>virtflow start</c>): publishes <see cref="StartWorkflow"/> (its type's
/// exchange is bound to <see cref="WorkflowQueues.Start"/>; the call returns once the broker confirmed it), asks
/// <see cref="GetWorkflowStatus"/> (published too), and, when it follows instances, receives their status and progress on a temporary
/// queue that exists before anything is sent (<see cref="Watch"/>).
/// </summary>
public sealed class WorkflowStartClient : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ILogger _logger;

    private WorkflowStartClient(IHost host, WorkflowWatch? watch)
    {
        _host = host;
        _logger = (ILogger?)host.Services.GetService<ILoggerFactory>()?.CreateLogger<WorkflowStartClient>() ?? NullLogger.Instance;
        Watch = watch;
    }

    /// <summary>The messages of the followed instances; null when none are followed.</summary>
    public WorkflowWatch? Watch { get; }

    private IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>
    /// Connects to <paramref name="transport"/>; subscribes for <paramref name="follow"/> (none: nothing followed).
    /// </summary>
    /// <exception cref="TimeoutException">The broker could not be reached within <paramref name="connectTimeout"/>.</exception>
    public static async Task<WorkflowStartClient> ConnectAsync(
        BusTransport transport, IReadOnlyCollection<string> follow, TimeSpan connectTimeout, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(follow);
        var watch = follow.Count > 0 ? new WorkflowWatch(follow) : null;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        logging?.Invoke(builder.Logging);
        builder.Services.AddVirtFlowBus(transport, bus =>
        {
            bus.StartTimeout = connectTimeout;
            bus.StopTimeout = TimeSpan.FromSeconds(10);
            if (watch is not null) bus.AddWorkflowWatch(watch);
        });
        var host = builder.Build();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(connectTimeout);
            try
            {
                await host.StartAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException(RabbitMqTls.RejectionOf(transport) is { } tls
                    ? $"cannot reach the broker {transport}: {tls}"
                    : $"cannot reach the broker {transport} within {connectTimeout.TotalSeconds:0}s");
            }
            return new WorkflowStartClient(host, watch);
        }
        catch
        {
            await HostLifetime.DisposeAsync(host).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends the start message; returns once the broker has it (publisher confirms).</summary>
    /// <exception cref="TimeoutException">The broker did not confirm within <paramref name="timeout"/>.</exception>
    public async Task SendAsync(StartWorkflow message, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            // Published, not sent to the server's queue: sending to a queue declares and binds it, which needs rights on the
            // server's queue that a client user must not have (it could read other clients' starts).
            await Bus.Publish(message, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the broker did not take the start message within {timeout.TotalSeconds:0}s");
        }
    }

    /// <summary>The instance as the server has it; null when no server answered within <paramref name="timeout"/>.</summary>
    public async Task<WorkflowStatus?> AskStatusAsync(string instanceId, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var client = Bus.CreateRequestClient<GetWorkflowStatus>(RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        try
        {
            // The request expires in the queue with its timeout: no server answers a question nobody waits for any more.
            var response = await client.GetResponse<WorkflowStatus>(new GetWorkflowStatus { InstanceId = instanceId },
                x => x.UseExecute(context => context.TimeToLive = timeout), ct,
                RequestTimeout.After(ms: (int)timeout.TotalMilliseconds)).ConfigureAwait(false);
            return response.Message;
        }
        catch (RequestTimeoutException)
        {
            Log.StatusUnanswered(_logger, instanceId, timeout);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // leaving anyway: the temporary queue goes with the connection
        }
        await HostLifetime.DisposeAsync(_host).ConfigureAwait(false);
    }
}
