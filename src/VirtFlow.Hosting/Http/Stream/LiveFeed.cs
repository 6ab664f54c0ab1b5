using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// The server's one reader of the store's journal for the live stream: it follows the journal by sequence (settled:
/// on a PostgreSQL shared by several servers, every entry once and in order, wherever the instance runs), woken early
/// by this server's engine (at most once per <see cref="LiveStreamOptions.Coalesce"/>), serializes each entry once
/// (<see cref="LivePage"/>) and hands it to every client's bounded buffer without waiting (<see cref="LiveSubscription"/>).
/// </summary>
internal sealed partial class LiveFeed(IWorkflowStore store, LiveStreamOptions options, IServiceProvider services, ILogger<LiveFeed> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly List<LiveSubscription> _subscriptions = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JournalTail? _tail;

    /// <summary>The journal reader.</summary>
    public IJournalReader Reader { get; } = store as IJournalReader
        ?? throw new ArgumentException($"the store {store.GetType().Name} cannot read its journal by sequence", nameof(store));

    /// <summary>The last sequence handed out.</summary>
    public long Position { get; private set; }

    /// <summary>Clients connected now.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _subscriptions.Count;
        }
    }

    /// <summary>
    /// A client's buffer, from the reader's position on (what came before is read from the store by the caller, up to
    /// <see cref="LiveSubscription.Position"/>); null when <see cref="LiveStreamOptions.MaxClients"/> are connected.
    /// </summary>
    public async Task<LiveSubscription?> SubscribeAsync(string? instanceId, CancellationToken ct)
    {
        await _ready.Task.WaitAsync(ct).ConfigureAwait(false);
        lock (_gate)
        {
            if (_subscriptions.Count >= options.MaxClients) return null;
            var subscription = new LiveSubscription(instanceId, options.ClientBuffer, Position);
            subscription.OnDispose = Remove;
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    private void Remove(LiveSubscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var engine = services.GetService<WorkflowEngine>();
        try
        {
            var head = await Reader.GetJournalHeadAsync(stoppingToken).ConfigureAwait(false);
            _tail = new JournalTail(Reader, null, head, options.Poll);
            Position = head;
            _ready.TrySetResult();
            if (engine is not null) engine.EventRaised += Wake;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await foreach (var page in _tail.FollowAsync(stoppingToken).ConfigureAwait(false))
                    {
                        FanOut(page);
                        // Commits that come while we wait are read as one page next: one batch per client, not one per commit.
                        if (options.Coalesce > TimeSpan.Zero) await Task.Delay(options.Coalesce, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.ReadFailed(logger, e.Message);
                    await Task.Delay(options.Poll, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            if (engine is not null) engine.EventRaised -= Wake;
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private void Wake(EngineEvent e)
    {
        if (e is not ProgressReported) _tail?.Wake();
    }

    private void FanOut(IReadOnlyList<JournalEntry> page)
    {
        // Serialized once into one array, outside the lock, shared by every client.
        var frames = LivePage.From(page);
        // Each client gets the page as one batch: its connection wakes once, writes it and flushes once.
        lock (_gate)
        {
            for (var i = _subscriptions.Count - 1; i >= 0; i--)
            {
                var subscription = _subscriptions[i];
                if (subscription.Offer(frames)) continue;
                _subscriptions.RemoveAt(i);
                Log.ClientDropped(logger, subscription.InstanceId ?? "(all)", options.ClientBuffer);
            }
            if (frames.Count > 0) Position = frames[^1].Seq;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5210, EventName = "ReadFailed", Level = LogLevel.Warning, Message = "live stream: reading the journal failed: {Error}; trying again")]
        public static partial void ReadFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 5211, EventName = "ClientDropped", Level = LogLevel.Information, Message = "live stream: a client of {Instance} fell behind ({Buffer} events unread) and was dropped; it resumes by sequence")]
        public static partial void ClientDropped(ILogger logger, string instance, int buffer);
    }
}
