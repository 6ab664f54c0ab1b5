using System.Collections.Concurrent;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

/// <summary>
/// Definitions known by name (added from files or code; the highest version wins, then the last added), and by
/// hash: those added here, else the exact definition an instance started with, read back from the store
/// (<see cref="IWorkflowStore.GetDefinitionAsync"/>) and parsed again. Thread-safe.
/// </summary>
public sealed class WorkflowDefinitionRegistry : IWorkflowDefinitionProvider
{
    private readonly IWorkflowStore? _store;
    private readonly WorkflowLimits _limits;
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byHash = new(StringComparer.Ordinal);

    /// <param name="store">Where definitions of running instances are read back from; null for definitions added here only.</param>
    /// <param name="limits">
    /// The limits texts are parsed within (<see cref="AddText"/>, definitions read back from the store); default
    /// <see cref="WorkflowLimits.Default"/>. A definition parsed within limits reads back within the same limits.
    /// </param>
    public WorkflowDefinitionRegistry(IWorkflowStore? store = null, WorkflowLimits? limits = null)
    {
        _store = store;
        _limits = limits ?? WorkflowLimits.Default;
    }

    /// <summary>Every definition that is the latest of its name.</summary>
    public IEnumerable<WorkflowDefinition> Latest => _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>Adds a parsed definition; it becomes the latest of its name unless a higher version is known.</summary>
    public WorkflowDefinitionRegistry Add(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (string.IsNullOrEmpty(definition.Hash))
            throw new ArgumentException($"workflow '{definition.Name}' has no hash: load definitions with WorkflowParser.Parse", nameof(definition));
        _byHash[definition.Hash] = definition;
        _byName.AddOrUpdate(definition.Name, definition, (_, known) => known.Version > definition.Version ? known : definition);
        return this;
    }

    /// <summary>Parses a workflow file's text and adds it when it has no errors. Returns the parser's result (with its diagnostics).</summary>
    public ParseResult AddText(string text, string fileName)
    {
        var result = WorkflowParser.Parse(text, fileName, _limits);
        if (result.Definition is { } definition) Add(definition);
        return result;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowDefinition?> FindByNameAsync(string name, CancellationToken ct) =>
        ValueTask.FromResult(_byName.GetValueOrDefault(name));

    /// <inheritdoc />
    public async ValueTask<WorkflowDefinition?> FindByHashAsync(string hash, CancellationToken ct)
    {
        if (_byHash.TryGetValue(hash, out var known)) return known;
        if (_store is null) return null;
        var stored = await _store.GetDefinitionAsync(hash, ct).ConfigureAwait(false);
        if (stored is null) return null;
        var parsed = WorkflowParser.Parse(stored.CanonicalJson, $"{stored.Name}@{hash[..Math.Min(12, hash.Length)]}.json", _limits);
        var definition = parsed.Definition
            ?? throw new WorkflowEngineException($"the stored definition {hash} of '{stored.Name}' no longer parses: "
                + string.Join("; ", parsed.Diagnostics.Where(d => d.IsError).Select(d => d.ToString())));
        if (definition.Hash != hash) definition = definition with { Hash = hash };
        _byHash[hash] = definition;
        return definition;
    }
}
