using System.CommandLine;
using ParseResult = System.CommandLine.ParseResult;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow keys create|list|revoke</c>, as parsed by the command line.</summary>
internal sealed class KeysArguments
{
    public required string Action { get; init; }
    public required string Store { get; init; }
    public string? Role { get; private init; }
    public string? Name { get; private init; }
    public TimeSpan? Expires { get; private init; }
    public string? Target { get; private init; }
    public bool Json { get; private init; }

    /// <summary><c>keys</c>' own options (<c>--store</c> and <c>--json</c> are the shared ones).</summary>
    internal sealed class Options
    {
        public Option<string?> Role { get; } = CliArguments.Refuse(new Option<string?>("--role")
        {
            HelpName = "ROLE",
            Description = "viewer (reads), operator (starts, cancels, retries, events, dry runs) or admin (drafts, publishes, keys, "
                + "audit); each includes the ones before it (required)",
        }, role => !ApiRoles.IsRole(role), role => $"--role '{role}' is not a role: viewer, operator or admin");

        public Option<string?> Name { get; } = new("--name")
        {
            HelpName = "NAME",
            Description = "who holds it (unique among keys not revoked); the audit log names callers by it (required)",
        };

        public Option<TimeSpan?> Expires { get; } = new("--expires")
        {
            HelpName = "DURATION",
            Description = "refuse it after this long (90d, 12h); default never",
            CustomParser = r => CliOptions.Usage<TimeSpan?>(r, () => Duration.TryParse(r.Tokens[^1].Value, out var t) && t > TimeSpan.Zero ? t
                : throw new RunUsageException($"--expires '{r.Tokens[^1].Value}' is not a positive duration (90d, 12h, {Duration.Hint})")),
        };

        public Argument<string[]> Target { get; } = CliArguments.Positional("NAME|ID", "the key to revoke", 1);
    }

    /// <summary>The parsed values of action <paramref name="action"/>.</summary>
    /// <exception cref="RunUsageException">A required option is missing, naming it.</exception>
    public static KeysArguments From(string action, ParseResult parsed, CliOptions shared, Options own)
    {
        var arguments = new KeysArguments
        {
            Action = action,
            Store = parsed.GetValue(shared.Store)
                ?? throw new RunUsageException("--store SPEC is required: the store the servers use (sqlite:PATH or postgres:CONNSTRING)"),
            Role = action == "create" ? parsed.GetValue(own.Role) : null,
            Name = action == "create" ? parsed.GetValue(own.Name) : null,
            Expires = action == "create" ? parsed.GetValue(own.Expires) : null,
            Target = action == "revoke" ? parsed.GetValue(own.Target)![0] : null,
            Json = action == "list" && parsed.GetValue(shared.Json),
        };
        if (action == "create")
        {
            if (arguments.Role is null) throw new RunUsageException("--role ROLE is required (viewer, operator or admin)");
            if (arguments.Name is null) throw new RunUsageException("--name NAME is required");
        }
        return arguments;
    }
}
