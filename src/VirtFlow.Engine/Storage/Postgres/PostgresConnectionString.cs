using Npgsql;

namespace VirtFlow.Engine.Storage.Postgres;

/// <summary>Accepts an Npgsql keyword connection string or a libpq-style <c>postgres[ql]://user:pass@host:port/db?opt=v</c> URI.</summary>
internal static class PostgresConnectionString
{
    private static readonly Dictionary<string, string> UriOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["search_path"] = "Search Path",
        ["target_session_attrs"] = "Target Session Attributes",
    };

    /// <summary>
    /// The Npgsql connection string for <paramref name="connectionString"/>, with the store's defaults where the caller
    /// set nothing: <c>No Reset On Close=true</c> (the store never changes session state, so the DISCARD ALL
    /// Npgsql would send on every pooled open is wasted work) and <c>Max Auto Prepare=32</c> (the store's few
    /// statements are prepared once per connection: about 40% off a resume here). Behind PgBouncer in transaction
    /// mode (before 1.21) set <c>Max Auto Prepare=0</c>.
    /// </summary>
    public static string Normalize(string connectionString)
    {
        var keywords = ToKeywords(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = keywords };
        var builder = new NpgsqlConnectionStringBuilder(keywords);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) builder.NoResetOnClose = true;
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 32;
        return builder.ConnectionString;
    }

    private static string ToKeywords(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var text = connectionString.Trim();
        if (!text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return text;

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            throw new ArgumentException($"not a valid PostgreSQL URI: {Redact(text)}", nameof(connectionString));
        var builder = new NpgsqlConnectionStringBuilder();
        if (uri.Host.Length > 0) builder.Host = uri.Host.Trim('[', ']');
        if (!uri.IsDefaultPort && uri.Port > 0) builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                builder[UriOptions.GetValueOrDefault(key, key)] = value;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"unsupported option '{key}' in PostgreSQL URI {Redact(text)}", nameof(connectionString), e);
            }
        }
        return builder.ConnectionString;
    }

    private static string Redact(string uri) => VirtFlow.Contracts.Text.SecretRedactor.Redact(uri);
}
