namespace VirtFlow.Cli.Commands;

/// <summary>The options of the remote verbs (<c>list</c>, <c>status</c>, <c>watch</c>, <c>cancel</c>, <c>retry</c>), parsed.</summary>
internal sealed class RemoteArguments
{
    public const string ConnectionHelp =
        "  --server URL          the server's HTTP API (default: env VIRTFLOW_SERVER)\n" +
        "  --api-key KEY         an API key (default: env VIRTFLOW_API_KEY); viewer for list/status/watch, operator for cancel/retry";

    public Uri? Server { get; private set; }
    public string? ApiKey { get; private set; }
    public List<string> Positional { get; } = [];
    public Dictionary<string, string> Filters { get; } = new(StringComparer.Ordinal);
    public string? From { get; private set; }
    public string? Reason { get; private set; }

    /// <summary><c>retry --input NAME=VALUE</c>: inputs changed for the retry.</summary>
    public System.Text.Json.Nodes.JsonObject RetryInputs { get; } = [];
    public bool Json { get; private set; }
    public int Verbosity { get; private set; }
    public bool Help { get; private set; }

    /// <summary><c>--input NAME=VALUE</c> and <c>--inputs FILE</c> in the order given (<c>plan</c> only).</summary>
    public List<RunInputs.Source> Inputs { get; } = [];

    /// <summary>Parses <paramref name="args"/>; <paramref name="filters"/> are the <c>--NAME VALUE</c> options passed on as query filters.</summary>
    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static RemoteArguments Parse(string[] args, IReadOnlyCollection<string> filters, bool from = false, bool reason = false, bool inputs = false)
    {
        var parsed = new RemoteArguments();
        string? server = null, key = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length || args[i + 1].Length == 0) throw new RunUsageException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help": parsed.Help = true; break;
                case "--json": parsed.Json = true; break;
                case "-v" or "--verbose": parsed.Verbosity++; break;
                case "-vv": parsed.Verbosity += 2; break;
                case "--server": server = Value(); break;
                case "--api-key": key = Value(); break;
                case "--from" when from: parsed.From = Value(); break;
                case "--input" when from:
                    var (input, value) = RunInputs.ReadPair(Value());
                    parsed.RetryInputs[input] = value;
                    break;
                case "--reason" when reason: parsed.Reason = Value(); break;
                case "--input" when inputs: parsed.Inputs.Add(new RunInputs.Pair(Value())); break;
                case "--inputs" when inputs: parsed.Inputs.Add(new RunInputs.File(Value())); break;
                case ['-', '-', .. var name] when filters.Contains(name): parsed.Filters[name] = Value(); break;
                case ['-', _, ..]: throw new RunUsageException($"unknown option '{arg}'");
                default: parsed.Positional.Add(arg); break;
            }
        }
        if (parsed.Help) return parsed;
        server ??= Environment.GetEnvironmentVariable("VIRTFLOW_SERVER");
        key ??= Environment.GetEnvironmentVariable("VIRTFLOW_API_KEY");
        if (string.IsNullOrWhiteSpace(server)) throw new RunUsageException("--server URL is required (or env VIRTFLOW_SERVER)");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new RunUsageException($"--server '{server}' is not an http:// or https:// URL");
        if (string.IsNullOrWhiteSpace(key)) throw new RunUsageException("--api-key KEY is required (or env VIRTFLOW_API_KEY)");
        parsed.Server = uri;
        parsed.ApiKey = key.Trim();
        return parsed;
    }
}
