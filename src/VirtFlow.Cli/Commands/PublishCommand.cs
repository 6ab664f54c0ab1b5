using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Definitions.Triggers;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Triggers;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow publish MESSAGETYPE --data JSON|@FILE</c>: publishes one message to the exchange
/// <c>virtflow.msg.{MESSAGETYPE}</c> as any AMQP producer would (raw JSON, see docs/triggers.md), for the server whose
/// published workflow has that <c>message</c> trigger. It returns once the broker confirmed the message.
/// </summary>
internal static class PublishCommand
{
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(30);

    private const string Usage =
        "usage: virtflow publish MESSAGETYPE --data JSON|@FILE --rabbitmq URI [--message-id ID] [--correlation-id ID] [--rabbitmq-ca FILE]\n" +
        "  publishes one message to the exchange virtflow.msg.MESSAGETYPE: a server whose published workflow has a 'message'\n" +
        "  trigger with that messageType starts it (see docs/triggers.md)\n" +
        "  MESSAGETYPE           letters, digits and '-' (e.g. MigrateVmStorage)\n" +
        "  --data JSON|@FILE     the message: one JSON object (@FILE reads it from a file)\n" +
        "  --rabbitmq URI        the broker: amqp://user:password@host:5672/vhost (env VIRTFLOW_RABBITMQ when absent)\n" +
        "  --rabbitmq-ca FILE    PEM CA certificate(s) the broker's TLS certificate must chain to (amqps:// only)\n" +
        "  --message-id ID       the AMQP message_id: the same id again within the trigger's dedupe window starts nothing;\n" +
        "                        default none (then the same body again within the window starts nothing)\n" +
        "  --correlation-id ID   the AMQP correlation_id, the instance's correlation id (unless the trigger computes one)\n" +
        "  exit code: 0 the broker confirmed the message, 1 the broker failed or refused it, 2 bad usage";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? type = null, data = null, messageId = null, correlationId = null, rabbit = null, ca = null;
        RabbitMqBusTransport transport;
        byte[] body;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new RunUsageException($"{arg} needs a value");
                switch (arg)
                {
                    case "-h" or "--help":
                        await stdout.WriteLineAsync(Usage);
                        return 0;
                    case "--data": data = Value(); break;
                    case "--message-id": messageId = Value(); break;
                    case "--correlation-id": correlationId = Value(); break;
                    case "--rabbitmq": rabbit = Value(); break;
                    case "--rabbitmq-ca": ca = Value(); break;
                    case ['-', _, ..]: throw new RunUsageException($"unknown option '{arg}'");
                    default:
                        if (type is not null) throw new RunUsageException($"unexpected argument '{arg}' (one MESSAGETYPE)");
                        type = arg;
                        break;
                }
            }
            if (type is null) throw new RunUsageException("no MESSAGETYPE");
            if (MessageTriggerSettings.Problem(type) is { } problem) throw new RunUsageException(problem);
            if (data is null) throw new RunUsageException("--data JSON|@FILE is required");
            if (messageId is { Length: 0 or > 200 }) throw new RunUsageException("--message-id needs 1 to 200 characters");
            if (correlationId is { Length: 0 or > 200 }) throw new RunUsageException("--correlation-id needs 1 to 200 characters");
            rabbit ??= Environment.GetEnvironmentVariable("VIRTFLOW_RABBITMQ") is { Length: > 0 } env ? env : null;
            if (rabbit is null) throw new RunUsageException("--rabbitmq URI is required");
            transport = ServerArguments.WithCa(ServerArguments.RabbitMqOption(rabbit), ca) as RabbitMqBusTransport
                ?? throw new RunUsageException("--rabbitmq must be a RabbitMQ URI");
            body = Body(data);
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow publish: {RunHost.OneLine(e.Message)} (see virtflow publish --help)");
            return 2;
        }
        try
        {
            await MessagePublisher.PublishAsync(transport, type, body, messageId, correlationId, BrokerTimeout, ct);
        }
        catch (Exception e) when (e is MessagePublishException or ArgumentException)
        {
            await stderr.WriteLineAsync($"virtflow publish: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        await stdout.WriteLineAsync($"published {type} to {MessageTriggerNames.Queue(type)} ({body.Length} bytes{(messageId is null ? "" : $", message id {TerminalText.Safe(messageId, 200)}")})");
        return 0;
    }

    /// <summary>The message's bytes: one JSON object, from the argument or a file, sent as written.</summary>
    private static byte[] Body(string data)
    {
        var text = DataArgument.Text(data);
        try
        {
            if (JsonNode.Parse(text) is not JsonObject) throw new RunUsageException("--data must be one JSON object ({\"field\": value, ...})");
        }
        catch (JsonException e)
        {
            throw new RunUsageException($"--data: not JSON: {e.Message}");
        }
        return Encoding.UTF8.GetBytes(text);
    }
}
