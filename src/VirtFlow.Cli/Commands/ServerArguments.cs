using System.CommandLine;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow server</c>, as parsed by the command line; the <c>--rabbitmq</c> parser the verbs share.</summary>
internal sealed class ServerArguments
{
    public required BusTransport Transport { get; init; }
    public required string Store { get; init; }
    public required string Workflows { get; init; }
    public string? EngineId { get; private init; }
    public bool TrustAnyWorker { get; private init; }
    public string? WorkerUser { get; private init; }
    public int Verbosity { get; private init; }
    public bool AllowAdhocDefinitions { get; private init; }

    /// <summary><c>--http URL</c>, or <c>off</c>; null when not given.</summary>
    public string? Http { get; private init; }

    /// <summary><c>--designer DIR</c>, or <c>off</c>; null when not given.</summary>
    public string? Designer { get; private init; }

    /// <summary><c>server</c>'s own options (the shared ones are in <see cref="CliOptions"/>).</summary>
    internal sealed class Options
    {
        public Option<string?> Workflows { get; } = CliArguments.Refuse(new Option<string?>("--workflows")
        {
            HelpName = "DIR",
            Description = "the workflows started by name: every *.yaml, *.yml, *.json under DIR (all must be valid); required",
        }, dir => !Directory.Exists(dir), dir => $"--workflows '{dir}': no such folder");

        public Option<string?> Http { get; } = new("--http")
        {
            HelpName = "URL|off",
            Description = "serve the HTTP API there (default http://127.0.0.1:8080; port 0: any free port; off: none); every path but "
                + "/healthz, /openapi/v1.json and /api/docs needs an API key (virtflow keys create). appsettings.json or environment: "
                + "VirtFlow:Server:Http, VirtFlow:Server:KeyCacheTime (default 00:00:05), VirtFlow:Server:Jwt (bearer tokens); "
                + "VirtFlow:Server:IdempotencyKeyLifetime (default 1.00:00:00), IdempotencySweepInterval (00:10:00); the largest request "
                + "body is the larger of VIRTFLOW_MAX_FILE_BYTES and VIRTFLOW_MAX_INPUT_BYTES + 64 KiB",
        };

        public Option<string?> Designer { get; } = new("--designer")
        {
            HelpName = "DIR|off",
            Description = "the built designer served at / without a key (default: designer/ next to the binary, where the build copies "
                + "it; appsettings.json or environment: VirtFlow:Server:Designer); off: none. Schedules and message triggers: "
                + "VirtFlow:Server:Schedules:*, VirtFlow:Server:MessageTriggers:* (docs/schedules.md, docs/triggers.md)",
        };

        public Option<string?> WorkerUser { get; } = new("--worker-user")
        {
            HelpName = "PATTERN",
            Description = "the RabbitMQ user of a host's worker, {host} for its id (default virtflow-worker-{host}): host events and "
                + "command results are taken only from that user (or the server's own), others are dropped",
        };

        public Option<bool> TrustAnyWorker { get; } = CliOptions.Flag("--trust-any-worker",
            "take host events from any RabbitMQ user (development only: anyone who can publish can fake results)");

        public Option<string?> EngineId { get; } = CliArguments.Refuse(new Option<string?>("--engine-id")
        {
            HelpName = "ID",
            Description = "this engine's name in leases and logs (default server:HOST:PID:RANDOM; unique per process)",
        }, string.IsNullOrWhiteSpace, _ => "--engine-id needs a non-empty id");

        public Option<bool> AllowAdhocDefinitions { get; } = CliOptions.Flag("--allow-adhoc-definitions",
            "also run workflows sent with the start message (virtflow start FILE): any client that may publish a start then runs its "
            + "own scripts and QMP commands (default off; appsettings.json or environment: VirtFlow:Server:AllowAdhocDefinitions / "
            + "VirtFlow__Server__AllowAdhocDefinitions)");

        /// <summary>Adds them to <paramref name="command"/>, with the shared ones.</summary>
        public void AddTo(Command command, CliOptions shared)
        {
            foreach (Option option in new Option[]
            {
                shared.RabbitMq, shared.Store, Workflows, EngineId, WorkerUser, TrustAnyWorker, Http, Designer, shared.RabbitMqCa,
                AllowAdhocDefinitions, shared.Verbose, shared.VeryVerbose,
            })
                command.Add(option);
        }
    }

    /// <summary>The parsed values, checked together.</summary>
    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static ServerArguments From(ParseResult parsed, CliOptions shared, Options own)
    {
        var transport = parsed.GetValue(shared.RabbitMq) ?? throw new RunUsageException("--rabbitmq URI is required");
        transport = WithCa(transport, parsed.GetValue(shared.RabbitMqCa));
        var store = parsed.GetValue(shared.Store) ?? throw new RunUsageException("--store SPEC is required (sqlite:PATH or postgres:CONNSTRING)");
        var workflows = parsed.GetValue(own.Workflows) ?? throw new RunUsageException("--workflows DIR is required");
        return new ServerArguments
        {
            Transport = transport,
            Store = store,
            Workflows = workflows,
            EngineId = parsed.GetValue(own.EngineId),
            TrustAnyWorker = parsed.GetValue(own.TrustAnyWorker),
            WorkerUser = parsed.GetValue(own.WorkerUser),
            Verbosity = shared.Verbosity(parsed),
            AllowAdhocDefinitions = parsed.GetValue(own.AllowAdhocDefinitions),
            Http = parsed.GetValue(own.Http),
            Designer = parsed.GetValue(own.Designer),
        };
    }

    /// <summary><paramref name="transport"/> checking the broker's certificate against <c>--rabbitmq-ca FILE</c> (when given; it must exist).</summary>
    internal static BusTransport WithCa(BusTransport transport, string? caFile)
    {
        if (caFile is null || transport is not RabbitMqBusTransport rabbit) return transport;
        if (!File.Exists(caFile)) throw new RunUsageException($"--rabbitmq-ca '{caFile}': no such file");
        if (!rabbit.UsesTls) throw new RunUsageException("--rabbitmq-ca goes with an amqps:// URI");
        return rabbit with { CaFile = Path.GetFullPath(caFile) };
    }

    /// <summary>A <c>--rabbitmq</c> value: a RabbitMQ URI, nothing else.</summary>
    internal static BusTransport RabbitMqOption(string text)
    {
        BusTransport transport;
        try
        {
            transport = BusTransport.Parse(text);
        }
        catch (ArgumentException)
        {
            transport = BusTransport.InMemory;
        }
        if (transport is not RabbitMqBusTransport)
            throw new RunUsageException($"--rabbitmq '{text}' is not a RabbitMQ URI (rabbitmq://user:password@host:5672/vhost or amqp://...)");
        return transport;
    }
}
