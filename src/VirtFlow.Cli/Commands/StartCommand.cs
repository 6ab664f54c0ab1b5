using VirtFlow.Engine.Definitions;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Logging;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow start NAME|FILE</c>: starts a workflow on a server by message (<c>StartWorkflow</c> sent to the queue
/// <c>virtflow-start</c>, kept there until a server takes it). The message id is the instance id: sending the same id
/// again starts nothing new. A FILE is read and validated here and its text travels with the message (run only by a
/// server started with <c>--allow-adhoc-definitions</c>; others reject it, naming that option). Without
/// <c>--wait</c> it prints the id once the broker confirmed the message; with <c>--wait</c> it shows the instance's
/// progress like <c>virtflow run</c> until it ends, with the same exit codes and <c>--json</c> document.
/// </summary>
internal static class StartCommand
{
    /// <summary>How long to reach the broker, and for it to confirm the message.</summary>
    private static readonly TimeSpan BrokerTimeout = TimeSpan.FromSeconds(30);

    private const string Usage =
        "usage: virtflow start NAME|FILE --rabbitmq URI [--input NAME=VALUE]... [--inputs FILE.json] [--correlation-id ID]\n" +
        "                      [--message-id ID] [--wait] [--timeout DURATION] [--json] [--rabbitmq-ca FILE] [-v]\n" +
        "  starts a workflow on a server (virtflow server) by message; the message waits in its queue if no server is up\n" +
        "  NAME                  a workflow the server loaded (its name, or its file's name without extension)\n" +
        "  FILE                  a workflow file, validated here and sent with the message (the server need not know it);\n" +
        "                        a server runs it only when started with --allow-adhoc-definitions (else: rejected, exit 2\n" +
        "                        with --wait)\n" +
        "  --rabbitmq URI        the broker: rabbitmq://user:password@host:5672/vhost (or amqp://...)\n" +
        "  --server URL          start over the server's HTTP API instead (env VIRTFLOW_SERVER when no --rabbitmq); a NAME only;\n" +
        "                        --message-id is then the Idempotency-Key; a refusal (409 lock held, ...) exits 2\n" +
        "  --api-key KEY         with --server: an operator's API key (default: env VIRTFLOW_API_KEY)\n" +
        "  --rabbitmq-ca FILE    PEM CA certificate(s) the broker's TLS certificate must chain to (amqps:// only)\n" +
        "  --input NAME=VALUE    an input, as for 'virtflow run' (JSON when it parses, else text; NAME=@FILE reads a file)\n" +
        "  --inputs FILE.json    inputs from a JSON object; later --input/--inputs override earlier ones\n" +
        "  --correlation-id ID   the instance's correlation id\n" +
        "  --message-id ID       the message's id, which becomes the instance's id (default: a new one); an id already\n" +
        "                        seen starts nothing new\n" +
        "  --wait                follow the instance until it ends, showing its steps and progress\n" +
        "  --timeout DURATION    with --wait: give up waiting after DURATION (exit 1; the instance goes on)\n" +
        "  --json                print only JSON: {id} without --wait, else the final instance {id, workflow, status, outputs,\n" +
        "                        fault, startedAt, endedAt} (status 'rejected' when the server could not start it)\n" +
        "  -v, --verbose         log information (-vv: debug) to stderr\n" +
        "  exit code: 0 sent (without --wait) or completed, 1 faulted, cancelled, still running after --timeout, or no broker,\n" +
        "             2 bad usage, invalid workflow or inputs, unknown workflow name";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        StartArguments options;
        JsonObject inputs;
        try
        {
            options = StartArguments.Parse(args);
            if (options.Help)
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }
            inputs = RunInputs.Build(options.Inputs);
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow start: {RunHost.OneLine(e.Message)} (see virtflow start --help)");
            return 2;
        }

        if (options.Server is not null) return await StartOverHttpAsync(options, inputs, stdout, stderr, ct);
        var id = options.MessageId ?? Guid.NewGuid().ToString("N");
        var message = new StartWorkflow
        {
            MessageId = id,
            Workflow = options.Workflow!,
            InputsJson = inputs.ToJsonString(),
            CorrelationId = options.CorrelationId,
        };
        if (options.IsFile)
        {
            var file = options.Workflow!;
            var definition = await RunWorkflowFile.LoadAsync(file, VirtFlowActivities.CreateRegistry(), stderr, "start", ct);
            if (definition is null) return 2;
            message = message with
            {
                Workflow = definition.Name,
                DefinitionText = await File.ReadAllTextAsync(file, ct),
                DefinitionFile = Path.GetFileName(file),
            };
        }

        WorkflowStartClient client;
        try
        {
            client = await WorkflowStartClient.ConnectAsync(options.Transport!, options.Wait ? [id] : [], BrokerTimeout,
                logging =>
                {
                    // Without -v the client says what went wrong in one line of its own; MassTransit's retries stay quiet.
                    if (options.Verbosity > 0) logging.AddVirtFlowConsole(VirtFlowLogging.LevelFor(options.Verbosity), VirtFlowLogging.StackTracesFor(options.Verbosity));
                    else logging.ClearProviders();
                }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("virtflow start: interrupted while connecting");
            return 1;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync(e is TimeoutException
                ? $"virtflow start: {RunHost.OneLine(e.Message)} (--rabbitmq)"
                : $"virtflow start: cannot reach the broker {options.Transport} (--rabbitmq): {Hosting.Messaging.Identity.RabbitMqTls.RejectionOf(options.Transport!) ?? RunHost.OneLine(e.Message)}");
            return 1;
        }
        await using (client)
        {
            try
            {
                await client.SendAsync(message, BrokerTimeout, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"virtflow start: the start message was not confirmed by {options.Transport}: {RunHost.OneLine(e.Message)}");
                return 1;
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("virtflow start: interrupted while sending");
                return 1;
            }
            if (!options.Wait)
            {
                if (options.IsFile)
                    await stderr.WriteLineAsync("virtflow start: note: a workflow FILE runs only on a server started with --allow-adhoc-definitions; "
                        + "add --wait to see whether it started");
                await stdout.WriteLineAsync(options.Json ? RunReport.Json(new JsonObject { ["id"] = id }) : id);
                return 0;
            }
            return await StartWaiter.WaitAsync(client, id, message.Workflow, options, stdout, stderr, ct);
        }
    }

    /// <summary><c>start --server</c>: <c>POST /api/instances</c>, then with <c>--wait</c> the live stream, as <c>watch</c>.</summary>
    private static async Task<int> StartOverHttpAsync(StartArguments options, JsonObject inputs, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        using var client = new VirtFlowApiClient(options.Server!, options.ApiKey!);
        string id;
        try
        {
            id = await client.StartAsync(options.Workflow!, inputs, options.CorrelationId, options.MessageId, ct);
        }
        catch (ApiClientException e)
        {
            await stderr.WriteLineAsync($"virtflow start: the server did not start it: {RunHost.OneLine(e.Message)}");
            return e.Status is >= 400 and < 500 and not 401 and not 403 ? 2 : 1;
        }
        if (!options.Wait)
        {
            await stdout.WriteLineAsync(options.Json ? RunReport.Json(new JsonObject { ["id"] = id }) : id);
            return 0;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Timeout is { } timeout) deadline.CancelAfter(timeout);
        try
        {
            return await RemoteCommand.WatchAsync(client, id, options.Json, options.Verbosity, jsonLines: false, stdout, stderr, "start", deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await stderr.WriteLineAsync(ct.IsCancellationRequested
                ? $"virtflow start: stopped waiting; instance {id} goes on on the server"
                : $"virtflow start: instance {id} still running after {Duration.Format(options.Timeout!.Value)}; it goes on on the server");
            return 1;
        }
        catch (ApiClientException e)
        {
            await stderr.WriteLineAsync($"virtflow start: {RunHost.OneLine(e.Message)}; instance {id} goes on on the server");
            return 1;
        }
    }
}
