using System.CommandLine;
using ParseResult = System.CommandLine.ParseResult;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow start</c>, as parsed by the command line.</summary>
internal sealed class StartArguments
{
    public required string Workflow { get; init; }
    public BusTransport? Transport { get; private init; }
    public List<RunInputs.Source> Inputs { get; private init; } = [];
    public string? CorrelationId { get; private init; }
    public string? MessageId { get; private init; }
    public bool Wait { get; private init; }
    public TimeSpan? Timeout { get; private init; }
    public bool Json { get; private init; }
    public int Verbosity { get; private init; }
    /// <summary>The server's HTTP API (<c>--server</c>, env <c>VIRTFLOW_SERVER</c> when no <c>--rabbitmq</c>): start over HTTP instead of by message.</summary>
    public Uri? Server { get; private init; }
    public string? ApiKey { get; private init; }

    /// <summary>
    /// True when <see cref="Workflow"/> names a file rather than a workflow the server knows: it exists, has a workflow
    /// file's extension, or holds a path separator.
    /// </summary>
    public bool IsFile => File.Exists(Workflow) || Path.GetExtension(Workflow) is ".yaml" or ".yml" or ".json" || Workflow.Contains('/', StringComparison.Ordinal);

    /// <summary><c>start</c>'s own options (the shared ones are in <see cref="CliOptions"/>).</summary>
    internal sealed class Options
    {
        public Argument<string[]> Workflow { get; } = CliArguments.Positional("NAME|FILE",
            "a workflow the server loaded (its name, or its file's name without extension), or a workflow FILE, validated here and "
            + "sent with the message (run only by a server started with --allow-adhoc-definitions; else rejected, exit 2 with --wait)",
            1, names => $"one workflow at a time ('{names[0]}', then '{names[1]}')");

        public Option<string?> CorrelationId { get; } = new("--correlation-id") { HelpName = "ID", Description = "the instance's correlation id" };

        public Option<string?> MessageId { get; } = CliArguments.Refuse(new Option<string?>("--message-id")
        {
            HelpName = "ID",
            Description = "the message's id, which becomes the instance's id (default: a new one); an id already seen starts nothing new; "
                + "with --server the Idempotency-Key",
        }, string.IsNullOrWhiteSpace, _ => "--message-id needs a non-empty id");

        public Option<bool> Wait { get; } = CliOptions.Flag("--wait", "follow the instance until it ends, showing its steps and progress");

        public Option<TimeSpan?> Timeout { get; } = new("--timeout")
        {
            HelpName = "DURATION",
            Description = "with --wait: give up waiting after DURATION (exit 1; the instance goes on)",
            CustomParser = r => CliOptions.Usage<TimeSpan?>(r, () => Duration.TryParse(r.Tokens[^1].Value, out var t) && t > TimeSpan.Zero ? t
                : throw new RunUsageException($"--timeout '{r.Tokens[^1].Value}' is not a positive duration ({Duration.Hint})")),
        };
    }

    /// <summary>The parsed values, checked together.</summary>
    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static StartArguments From(ParseResult parsed, CliOptions shared, Options own)
    {
        var transport = parsed.GetValue(shared.RabbitMq);
        var server = parsed.GetValue(shared.Server);
        if (server is null && transport is null && Environment.GetEnvironmentVariable("VIRTFLOW_SERVER") is { Length: > 0 } env)
            server = CliOptions.HttpUrl(env);
        var apiKey = parsed.GetValue(shared.ApiKey);
        var arguments = new StartArguments
        {
            Workflow = parsed.GetValue(own.Workflow)![0],
            Inputs = shared.InputSources(parsed),
            CorrelationId = parsed.GetValue(own.CorrelationId),
            MessageId = parsed.GetValue(own.MessageId),
            Wait = parsed.GetValue(own.Wait),
            Timeout = parsed.GetValue(own.Timeout),
            Json = parsed.GetValue(shared.Json),
            Verbosity = shared.Verbosity(parsed),
            Server = server,
            ApiKey = server is null ? apiKey : apiKey ?? Environment.GetEnvironmentVariable("VIRTFLOW_API_KEY"),
            Transport = server is null && transport is not null ? ServerArguments.WithCa(transport, parsed.GetValue(shared.RabbitMqCa)) : transport,
        };
        if (server is not null)
        {
            if (transport is not null) throw new RunUsageException("--server and --rabbitmq: one way to start at a time");
            if (string.IsNullOrWhiteSpace(arguments.ApiKey)) throw new RunUsageException("--api-key KEY is required with --server (or env VIRTFLOW_API_KEY)");
            if (arguments.IsFile) throw new RunUsageException($"--server starts a workflow the server knows by NAME; '{arguments.Workflow}' is a file (send it with --rabbitmq to a server with --allow-adhoc-definitions)");
        }
        else if (transport is null)
        {
            throw new RunUsageException("--rabbitmq URI or --server URL is required");
        }
        if (arguments.Timeout is not null && !arguments.Wait) throw new RunUsageException("--timeout only goes with --wait");
        return arguments;
    }
}
