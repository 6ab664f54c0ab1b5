namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, StoredDefinition> _definitions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var now = Now;
        lock (_gate)
        {
            _definitions.TryAdd(definition.Hash, definition with
            {
                CreatedAt = definition.CreatedAt == default ? now : StoreTime.Normalize(definition.CreatedAt),
            });
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_definitions.GetValueOrDefault(hash));
    }
}
