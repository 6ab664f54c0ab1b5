using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
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

    private const string Description =
        "Publishes one message to the exchange virtflow.msg.MESSAGETYPE: a server whose published workflow has a 'message' trigger "
        + "with that messageType starts it (see docs/triggers.md). --rabbitmq defaults to env VIRTFLOW_RABBITMQ.\n"
        + "exit code: 0 the broker confirmed the message, 1 the broker failed or refused it, 2 bad usage";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var type = CliArguments.Positional("MESSAGETYPE", "letters, digits and '-' (e.g. MigrateVmStorage)", 1,
            types => $"unexpected argument '{types[1]}' (one MESSAGETYPE)");
        var data = new Option<string?>("--data") { HelpName = "JSON|@FILE", Description = "the message: one JSON object (@FILE reads it from a file); required" };
        var messageId = new Option<string?>("--message-id")
        {
            HelpName = "ID",
            Description = "the AMQP message_id: the same id again within the trigger's dedupe window starts nothing; default none "
                + "(then the same body again within the window starts nothing)",
        };
        var correlationId = new Option<string?>("--correlation-id")
        {
            HelpName = "ID",
            Description = "the AMQP correlation_id, the instance's correlation id (unless the trigger computes one)",
        };
        var command = new Command("publish", Description);
        CliArguments.AddRequired(command, type, "no MESSAGETYPE");
        foreach (Option option in new Option[] { data, shared.RabbitMq, shared.RabbitMqCa, messageId, correlationId }) command.Add(option);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(parsed.GetValue(type)![0], parsed.GetValue(data),
            parsed.GetValue(messageId), parsed.GetValue(correlationId), parsed.GetValue(shared.RabbitMq), parsed.GetValue(shared.RabbitMqCa), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow publish ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["publish", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(string type, string? data, string? messageId, string? correlationId, BusTransport? rabbit, string? ca,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        RabbitMqBusTransport transport;
        byte[] body;
        try
        {
            if (MessageTriggerSettings.Problem(type) is { } problem) throw new RunUsageException(problem);
            if (data is null) throw new RunUsageException("--data JSON|@FILE is required");
            if (messageId is { Length: 0 or > 200 }) throw new RunUsageException("--message-id needs 1 to 200 characters");
            if (correlationId is { Length: 0 or > 200 }) throw new RunUsageException("--correlation-id needs 1 to 200 characters");
            rabbit ??= Environment.GetEnvironmentVariable("VIRTFLOW_RABBITMQ") is { Length: > 0 } env ? ServerArguments.RabbitMqOption(env) : null;
            if (rabbit is null) throw new RunUsageException("--rabbitmq URI is required");
            transport = ServerArguments.WithCa(rabbit, ca) as RabbitMqBusTransport
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
