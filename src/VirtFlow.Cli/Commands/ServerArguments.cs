using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow server</c>, parsed.</summary>
internal sealed class ServerArguments
{
    public BusTransport? Transport { get; private set; }
    public string? Store { get; private set; }
    public string? Workflows { get; private set; }
    public string? EngineId { get; private set; }
    public bool TrustAnyWorker { get; private set; }
    public string? WorkerUser { get; private set; }
    public string? RabbitMqCa { get; private set; }
    public int Verbosity { get; private set; }
    public bool AllowAdhocDefinitions { get; private set; }

    /// <summary><c>--http URL</c>, or <c>off</c>; null when not given.</summary>
    public string? Http { get; private set; }
    public bool Help { get; private set; }

    /// <summary><c>--designer DIR</c>, or <c>off</c>; null when not given.</summary>
    public string? Designer { get; private set; }

    /// <exception cref="RunUsageException">Bad usage, naming the option.</exception>
    public static ServerArguments Parse(string[] args)
    {
        var parsed = new ServerArguments();
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
                    parsed.Transport = RabbitMqOption(Value());
                    break;
                case "--store":
                    parsed.Store = Value();
                    break;
                case "--workflows":
                    parsed.Workflows = Value();
                    break;
                case "--allow-adhoc-definitions":
                    parsed.AllowAdhocDefinitions = true;
                    break;
                case "--trust-any-worker":
                    parsed.TrustAnyWorker = true;
                    break;
                case "--worker-user":
                    parsed.WorkerUser = Value();
                    break;
                case "--http":
                    parsed.Http = Value();
                    break;
                case "--designer":
                    parsed.Designer = Value();
                    break;
                case "--rabbitmq-ca":
                    parsed.RabbitMqCa = Value();
                    break;
                case "--engine-id":
                    parsed.EngineId = Value();
                    if (string.IsNullOrWhiteSpace(parsed.EngineId)) throw new RunUsageException("--engine-id needs a non-empty id");
                    break;
                case ['-', _, ..]:
                    throw new RunUsageException($"unknown option '{arg}'");
                default:
                    throw new RunUsageException($"unexpected argument '{arg}'");
            }
        }
        if (parsed.Help) return parsed;
        if (parsed.Transport is null) throw new RunUsageException("--rabbitmq URI is required");
        parsed.Transport = WithCa(parsed.Transport, parsed.RabbitMqCa);
        if (parsed.Store is null) throw new RunUsageException("--store SPEC is required (sqlite:PATH or postgres:CONNSTRING)");
        if (parsed.Workflows is null) throw new RunUsageException("--workflows DIR is required");
        if (!Directory.Exists(parsed.Workflows)) throw new RunUsageException($"--workflows '{parsed.Workflows}': no such folder");
        return parsed;
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
