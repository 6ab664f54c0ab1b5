using VirtFlow.Engine.Definitions;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow keys create|list|revoke</c>, parsed.</summary>
internal sealed class KeysArguments
{
    public string? Action { get; private set; }
    public string? Store { get; private set; }
    public string? Role { get; private set; }
    public string? Name { get; private set; }
    public TimeSpan? Expires { get; private set; }
    public string? Target { get; private set; }
    public bool Json { get; private set; }
    public bool Help { get; private set; }

    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static KeysArguments Parse(string[] args)
    {
        var parsed = new KeysArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new RunUsageException($"{arg} needs a value");
            switch (arg)
            {
                case "-h" or "--help": parsed.Help = true; break;
                case "--store": parsed.Store = Value(); break;
                case "--role": parsed.Role = Value(); break;
                case "--name": parsed.Name = Value(); break;
                case "--json": parsed.Json = true; break;
                case "--expires":
                    var text = Value();
                    if (!Duration.TryParse(text, out var expires) || expires <= TimeSpan.Zero)
                        throw new RunUsageException($"--expires '{text}' is not a positive duration (90d, 12h, {Duration.Hint})");
                    parsed.Expires = expires;
                    break;
                case ['-', _, ..]: throw new RunUsageException($"unknown option '{arg}'");
                default:
                    if (parsed.Action is null) parsed.Action = arg;
                    else if (parsed.Target is null && parsed.Action == "revoke") parsed.Target = arg;
                    else throw new RunUsageException($"unexpected argument '{arg}'");
                    break;
            }
        }
        if (parsed.Help) return parsed;
        switch (parsed.Action)
        {
            case null: throw new RunUsageException("which action: create, list or revoke");
            case "create":
                if (parsed.Role is null) throw new RunUsageException("--role ROLE is required (viewer, operator or admin)");
                if (parsed.Name is null) throw new RunUsageException("--name NAME is required");
                break;
            case "revoke":
                if (parsed.Target is null) throw new RunUsageException("revoke needs the key's NAME or ID");
                break;
            case "list":
                break;
            default: throw new RunUsageException($"unknown action '{parsed.Action}': create, list or revoke");
        }
        if (parsed.Action != "create" && (parsed.Role ?? parsed.Name) is not null) throw new RunUsageException("--role and --name go with create");
        if (parsed.Action != "create" && parsed.Expires is not null) throw new RunUsageException("--expires goes with create");
        if (parsed.Store is null) throw new RunUsageException("--store SPEC is required: the store the servers use (sqlite:PATH or postgres:CONNSTRING)");
        return parsed;
    }
}
