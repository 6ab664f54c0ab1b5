using System.Runtime.CompilerServices;
using System.Threading.Channels;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Engine;

/// <summary>
/// Follows the store's journal by sequence (all instances, or one): reads what is new after the last entry it
/// returned, then waits for <see cref="Wake"/> (the local engine committed something) or the poll interval (another
/// server sharing the store committed something). Reading the store, not the engine's in-process events, is what makes
/// it exact across servers: every entry once, in sequence order.
/// </summary>
public sealed class JournalTail(IJournalReader reader, string? instanceId, long afterSequence, TimeSpan poll, int pageSize = 500)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>The last sequence returned.</summary>
    public long Position { get; private set; } = afterSequence;

    /// <summary>Ends the current wait at once (cheap; any thread).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Every entry now in the store after <see cref="Position"/>, in order.</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadAvailableAsync(CancellationToken ct)
    {
        var all = new List<JournalEntry>();
        while (true)
        {
            var page = await reader.GetJournalAfterAsync(Position, instanceId, pageSize, ct).ConfigureAwait(false);
            if (page.Count == 0) return all;
            all.AddRange(page);
            Position = page[^1].Sequence;
            if (page.Count < pageSize) return all;
        }
    }

    /// <summary>Pages of new entries as they come, until <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<IReadOnlyList<JournalEntry>> FollowAsync([EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var page = await ReadAvailableAsync(ct).ConfigureAwait(false);
            if (page.Count > 0) yield return page;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(poll);
            try
            {
                await _wake.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // the poll interval passed
            }
        }
    }
}
