using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow start</c>, parsed.</summary>
internal sealed class StartArguments
{
    public string? Workflow { get; private set; }
    public BusTransport? Transport { get; private set; }
    public List<RunInputs.Source> Inputs { get; } = [];
    public string? CorrelationId { get; private set; }
    public string? MessageId { get; private set; }
    public bool Wait { get; private set; }
    public TimeSpan? Timeout { get; private set; }
    public bool Json { get; private set; }
    public string? RabbitMqCa { get; private set; }
    public int Verbosity { get; private set; }
    /// <summary>The server's HTTP API (<c>--server</c>, env <c>VIRTFLOW_SERVER</c> when no <c>--rabbitmq</c>): start over HTTP instead of by message.</summary>
    public Uri? Server { get; private set; }
    public string? ApiKey { get; private set; }
    public bool Help { get; private set; }

    /// <summary>
    /// True when <see cref="Workflow"/> names a file rather than a workflow the server knows: it exists, has a workflow
    /// file's extension, or holds a path separator.
    /// </summary>
    public bool IsFile => Workflow is { } w
        && (File.Exists(w) || Path.GetExtension(w) is ".yaml" or ".yml" or ".json" || w.Contains('/', StringComparison.Ordinal));

    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static StartArguments Parse(string[] args)
    {
        var parsed = new StartArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new RunUsageException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help":
                    parsed.Help = true;
                    break;
                case "-v" or "--verbose":
                    parsed.Verbosity++;
                    break;
                case "-vv":
                    parsed.Verbosity += 2;
                    break;
                case "--rabbitmq":
                    parsed.Transport = ServerArguments.RabbitMqOption(Value());
                    break;
                case "--rabbitmq-ca":
                    parsed.RabbitMqCa = Value();
                    break;
                case "--input":
                    parsed.Inputs.Add(new RunInputs.Pair(Value()));
                    break;
                case "--inputs":
                    parsed.Inputs.Add(new RunInputs.File(Value()));
                    break;
                case "--correlation-id":
                    parsed.CorrelationId = Value();
                    break;
                case "--message-id":
                    parsed.MessageId = Value();
                    if (string.IsNullOrWhiteSpace(parsed.MessageId)) throw new RunUsageException("--message-id needs a non-empty id");
                    break;
                case "--wait":
                    parsed.Wait = true;
                    break;
                case "--timeout":
                    var text = Value();
                    if (!Duration.TryParse(text, out var timeout) || timeout <= TimeSpan.Zero)
                        throw new RunUsageException($"--timeout '{text}' is not a positive duration ({Duration.Hint})");
                    parsed.Timeout = timeout;
                    break;
                case "--json":
                    parsed.Json = true;
                    break;
                case "--server":
                    parsed.Server = ServerUri(Value());
                    break;
                case "--api-key":
                    parsed.ApiKey = Value();
                    break;
                case ['-', _, ..]:
                    throw new RunUsageException($"unknown option '{arg}'");
                default:
                    if (parsed.Workflow is not null) throw new RunUsageException($"one workflow at a time ('{parsed.Workflow}', then '{arg}')");
                    parsed.Workflow = arg;
                    break;
            }
        }
        if (parsed.Help) return parsed;
        if (parsed.Workflow is null) throw new RunUsageException("no workflow given (a NAME the server knows, or a FILE)");
        if (parsed.Server is null && parsed.Transport is null && Environment.GetEnvironmentVariable("VIRTFLOW_SERVER") is { Length: > 0 } env)
            parsed.Server = ServerUri(env);
        if (parsed.Server is not null)
        {
            if (parsed.Transport is not null) throw new RunUsageException("--server and --rabbitmq: one way to start at a time");
            parsed.ApiKey ??= Environment.GetEnvironmentVariable("VIRTFLOW_API_KEY");
            if (string.IsNullOrWhiteSpace(parsed.ApiKey)) throw new RunUsageException("--api-key KEY is required with --server (or env VIRTFLOW_API_KEY)");
            if (parsed.IsFile) throw new RunUsageException($"--server starts a workflow the server knows by NAME; '{parsed.Workflow}' is a file (send it with --rabbitmq to a server with --allow-adhoc-definitions)");
        }
        else
        {
            if (parsed.Transport is null) throw new RunUsageException("--rabbitmq URI or --server URL is required");
            parsed.Transport = ServerArguments.WithCa(parsed.Transport, parsed.RabbitMqCa);
        }
        if (parsed.Timeout is not null && !parsed.Wait) throw new RunUsageException("--timeout only goes with --wait");
        return parsed;
    }

    private static Uri ServerUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new RunUsageException($"--server '{text}' is not an http:// or https:// URL");
}
