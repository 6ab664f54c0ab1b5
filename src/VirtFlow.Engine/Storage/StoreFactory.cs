using VirtFlow.Engine.Storage.InMemory;
using VirtFlow.Engine.Storage.Postgres;
using VirtFlow.Engine.Storage.Sqlite;

namespace VirtFlow.Engine.Storage;

/// <summary>Opens a store from a one-line spec (command line, configuration).</summary>
public static class StoreFactory
{
    /// <summary>The spec forms <see cref="Open"/> accepts, for help texts and errors.</summary>
    public const string AcceptedForms =
        "sqlite:PATH (a file, e.g. sqlite:/var/lib/virtflow/virtflow.db), " +
        "postgres:CONNSTRING (e.g. postgres:Host=db;Username=virtflow;Database=virtflow), " +
        "postgresql://user:password@host:port/database, or memory: (in-process, for tests)";

    /// <summary>
    /// Creates the store named by <paramref name="spec"/>, without touching it: call
    /// <see cref="IWorkflowStore.InitializeAsync"/> (or use <see cref="OpenAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The spec is empty or of an unknown form.</exception>
    public static IWorkflowStore Open(string spec, StoreOptions? options = null)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new ArgumentException("no store spec given; accepted: " + AcceptedForms, nameof(spec));
        var text = spec.Trim();
        if (TryStrip(text, "sqlite:", out var path))
        {
            if (path.Length == 0) throw new ArgumentException($"store spec '{spec}' names no file; accepted: {AcceptedForms}", nameof(spec));
            return new SqliteWorkflowStore(path, options);
        }
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new PostgresWorkflowStore(text, options);
        if (TryStrip(text, "postgres:", out var connectionString) || TryStrip(text, "postgresql:", out connectionString))
        {
            if (connectionString.Length == 0)
                throw new ArgumentException($"store spec '{spec}' has no connection string; accepted: {AcceptedForms}", nameof(spec));
            return new PostgresWorkflowStore(connectionString, options);
        }
        if (string.Equals(text, "memory:", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "memory", StringComparison.OrdinalIgnoreCase))
            return new InMemoryWorkflowStore(options);
        throw new ArgumentException($"unknown store spec '{Redact(text)}'; accepted: {AcceptedForms}", nameof(spec));
    }

    /// <summary><see cref="Open"/>, then <see cref="IWorkflowStore.InitializeAsync"/> (disposing the store if that fails).</summary>
    public static async Task<IWorkflowStore> OpenAsync(string spec, StoreOptions? options = null, CancellationToken ct = default)
    {
        var store = Open(spec, options);
        try
        {
            await store.InitializeAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static bool TryStrip(string text, string prefix, out string rest)
    {
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            rest = text[prefix.Length..].Trim();
            return true;
        }
        rest = "";
        return false;
    }

    /// <summary>Hides anything that looks like a password before a spec goes into an error message.</summary>
    private static string Redact(string spec) => VirtFlow.Contracts.Text.SecretRedactor.RedactConnectionString(spec);
}
