using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

/// <summary>
/// A thread-safe, process-local <see cref="IWorkflowStore"/> with the same semantics as the durable stores
/// (versions and <see cref="ConcurrencyException"/>, key and timer indexes, inbox de-dup, outbox order,
/// millisecond UTC times, private JSON copies). For unit tests and benchmarks: nothing survives the process.
/// </summary>
public sealed partial class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty store.</summary>
    public InMemoryWorkflowStore(StoreOptions? options = null)
    {
        options ??= new StoreOptions();
        options.Validate();
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private DateTimeOffset Now => StoreTime.Normalize(_time.GetUtcNow());

    private static TNode Copy<TNode>(TNode node) where TNode : JsonNode => (TNode)node.DeepClone();
}
