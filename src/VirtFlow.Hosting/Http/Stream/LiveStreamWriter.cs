using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// Writes one client's stream: first what the store holds after the client's sequence up to the reader's position
/// when it subscribed, then the live events from its buffer, each sequence once and in order. Events:
/// <c>id: SEQ</c> + <c>data: {LiveEvent}</c>; <c>event: dropped</c> when the client fell behind (resume from the
/// sequence it names); <c>event: end</c> after an instance stream's instance ended; <c>: ping</c> when idle.
/// </summary>
internal sealed class LiveStreamWriter(HttpContext context, LiveFeed feed, LiveSubscription subscription, LiveStreamOptions options, string? instanceId)
{
    private const int Page = 500;
    private static readonly string[] FinalKinds = ["InstanceCompleted", "InstanceFaulted", "InstanceCancelled"];
    // Events are copied into Kestrel's pipe and flushed once per batch: one socket write per batch, not per event.
    private readonly PipeWriter _body = context.Response.BodyWriter;
    private long _last;
    private bool _unflushed; // events written to the pipe since its last flush

    public async Task RunAsync(long after, CancellationToken ct)
    {
        _last = after;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteAsync("retry: 1000\n\n", ct).ConfigureAwait(false);
        try
        {
            if (await CatchUpAsync(ct).ConfigureAwait(false)) return;
            await LiveAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client went away
        }
        catch (IOException)
        {
            // the client went away
        }
    }

    /// <summary>The store's entries after the client's sequence, up to where the live buffer starts; true when the stream ended.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken ct)
    {
        while (_last < subscription.Position)
        {
            var page = await feed.Reader.GetJournalAfterAsync(_last, instanceId, Page, ct).ConfigureAwait(false);
            var mine = page.TakeWhile(e => e.Sequence <= subscription.Position).ToList();
            if (mine.Count > 0 && await SendAsync(LivePage.From(mine), ct).ConfigureAwait(false)) return true;
            if (mine.Count == 0 || page.Count < Page) break;
        }
        await _body.FlushAsync(ct).ConfigureAwait(false);
        return instanceId is not null && await EndedAsync(ct).ConfigureAwait(false);
    }

    private async Task LiveAsync(CancellationToken ct)
    {
        var batches = subscription.Batches;
        // One timer for the heartbeat, reset after each wait it did not end (no new one per batch).
        var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (true)
            {
                if (!idle.TryReset())
                {
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                }
                idle.CancelAfter(options.Heartbeat);
                bool more;
                try
                {
                    more = await batches.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await WriteAsync(": ping\n\n", ct).ConfigureAwait(false);
                    continue;
                }
                if (!more)
                {
                    if (subscription.DroppedReason is { } reason)
                        await WriteAsync($"event: dropped\ndata: {JsonSerializer.Serialize(new { reason, lastSeq = _last })}\n\n", ct).ConfigureAwait(false);
                    return;
                }
                while (batches.TryRead(out var batch))
                {
                    if (WholePage(batch) is { } page)
                    {
                        // Marked read once it is in the response's pipe, before its flush: the buffer counts what waits for
                        // the pipe, as for events written one by one, not what waits for the client's socket.
                        var flushed = WritePageAsync(page, ct);
                        subscription.Read(batch.Count);
                        await flushed.ConfigureAwait(false);
                        continue;
                    }
                    if (await SendAsync(batch, ct).ConfigureAwait(false)) return;
                    subscription.Read(batch.Count);
                }
                if (!_unflushed) continue;
                _unflushed = false;
                await _body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    /// <summary>
    /// Writes the events of <paramref name="batch"/> the client has not seen (a whole page of all instances in one copy);
    /// true when one ended the instance's stream.
    /// </summary>
    private async Task<bool> SendAsync(IReadOnlyList<LiveFrame> batch, CancellationToken ct)
    {
        if (WholePage(batch) is { } page)
        {
            await WritePageAsync(page, ct).ConfigureAwait(false);
            return false;
        }
        foreach (var e in batch)
        {
            if (e.Seq <= _last) continue;
            _last = e.Seq;
            _body.Write(e.Bytes.Span);
            _unflushed = true;
            if (instanceId is not null && FinalKinds.Contains(e.Kind) && await EndedAsync(ct).ConfigureAwait(false)) return true;
        }
        return false;
    }

    /// <summary>A page of all instances whose events the client has not seen, which it writes whole; else null.</summary>
    private LivePage? WholePage(IReadOnlyList<LiveFrame> batch) =>
        instanceId is null && batch is LivePage { Count: > 0 } page && page[0].Seq > _last ? page : null;

    /// <summary>
    /// Writes and flushes the page as one: one chunk of the response (not one per 4 KB block of the pipe), so the client
    /// reads it in as few reads as its buffer allows. The bytes are in the pipe when this returns (unless events written
    /// one by one were still to flush first); the task is the flush.
    /// </summary>
    private ValueTask<FlushResult> WritePageAsync(LivePage page, CancellationToken ct)
    {
        _last = page[^1].Seq;
        if (!_unflushed) return _body.WriteAsync(page.Bytes, ct);
        _unflushed = false;
        return FlushThenWriteAsync(page, ct);
    }

    private async ValueTask<FlushResult> FlushThenWriteAsync(LivePage page, CancellationToken ct)
    {
        await _body.FlushAsync(ct).ConfigureAwait(false);
        return await _body.WriteAsync(page.Bytes, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// After the instance's final line (or after the catch-up): when the stored instance is final (a retry may have
    /// continued it) and no final line is still to come, <c>event: end</c>. Lines journaled after the end (a late job
    /// event, ignored) are not waited for: they are on <c>/api/stream</c>.
    /// </summary>
    private async Task<bool> EndedAsync(CancellationToken ct)
    {
        var store = (IWorkflowStore)feed.Reader;
        if (await store.GetInstanceAsync(instanceId!, ct).ConfigureAwait(false) is not { IsFinal: true } instance) return false;
        var later = await feed.Reader.GetJournalAfterAsync(_last, instanceId, Page, ct).ConfigureAwait(false);
        if (later.Any(e => FinalKinds.Contains(e.Kind))) return false;
        await WriteAsync($"event: end\ndata: {JsonSerializer.Serialize(new { status = instance.Status.ToString().ToLowerInvariant(), lastSeq = _last })}\n\n", ct).ConfigureAwait(false);
        await _body.FlushAsync(ct).ConfigureAwait(false);
        return true;
    }

    private async Task WriteAsync(string text, CancellationToken ct)
    {
        _body.Write(Encoding.UTF8.GetBytes(text));
        await _body.FlushAsync(ct).ConfigureAwait(false);
    }
}
