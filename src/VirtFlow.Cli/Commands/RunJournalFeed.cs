using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// Feeds a <see cref="RunView"/> from the store's journal while the embedded engine runs (<c>run</c>, <c>resume</c>):
/// the same lines the live stream carries to <c>watch</c>. The engine's events only wake the reader early.
/// </summary>
internal sealed class RunJournalFeed
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private readonly WorkflowEngine _engine;
    private readonly RunView _view;
    private readonly JournalTail _tail;
    private readonly Func<string, bool> _which;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private RunJournalFeed(WorkflowEngine engine, RunView view, JournalTail tail, Func<string, bool> which)
    {
        _engine = engine;
        _view = view;
        _tail = tail;
        _which = which;
    }

    /// <summary>
    /// Starts showing the journal of <paramref name="instanceId"/> from its beginning, or (null) of the instances
    /// <paramref name="which"/> picks from now on.
    /// </summary>
    public static async Task<RunJournalFeed> StartAsync(WorkflowEngine engine, IWorkflowStore store, RunView view, string? instanceId, Func<string, bool> which)
    {
        var reader = (IJournalReader)store;
        var tail = new JournalTail(reader, instanceId, 0, Poll);
        if (instanceId is null) await tail.ReadAvailableAsync(CancellationToken.None);
        var feed = new RunJournalFeed(engine, view, tail, which);
        engine.EventRaised += feed.OnEvent;
        view.Start();
        feed._loop = feed.LoopAsync();
        return feed;
    }

    private void OnEvent(EngineEvent e)
    {
        if (_which(e.InstanceId)) _tail.Wake();
    }

    private async Task LoopAsync()
    {
        try
        {
            await foreach (var page in _tail.FollowAsync(_stop.Token)) Post(page);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopped
        }
    }

    private void Post(IReadOnlyList<JournalEntry> page)
    {
        foreach (var entry in page)
        {
            if (_which(entry.InstanceId)) _view.Post(LiveEvent.From(entry));
        }
    }

    /// <summary>Shows what is left in the journal, then completes the view.</summary>
    public async Task StopAsync()
    {
        _engine.EventRaised -= OnEvent;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        try
        {
            Post(await _tail.ReadAvailableAsync(CancellationToken.None));
        }
        finally
        {
            _stop.Dispose();
            await _view.CompleteAsync();
        }
    }
}
