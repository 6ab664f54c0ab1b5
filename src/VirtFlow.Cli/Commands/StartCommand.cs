using VirtFlow.Engine.Definitions;
using System.CommandLine;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
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

    private const string Description =
        "Starts a workflow on a server (virtflow server) by message; the message waits in its queue if no server is up. "
        + "With --server it starts over the server's HTTP API instead (env VIRTFLOW_SERVER when no --rabbitmq; a NAME only; "
        + "--message-id is then the Idempotency-Key; a refusal (409 lock held, ...) exits 2). "
        + "--json prints only JSON: {id} without --wait, else the final instance {id, workflow, status, outputs, fault, startedAt, "
        + "endedAt} (status 'rejected' when the server could not start it).\n"
        + "exit code: 0 sent (without --wait) or completed, 1 faulted, cancelled, still running after --timeout, or no broker, "
        + "2 bad usage, invalid workflow or inputs, unknown workflow name";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var own = new StartArguments.Options();
        var command = new Command("start", Description);
        CliArguments.AddRequired(command, own.Workflow, "no workflow given (a NAME the server knows, or a FILE)");
        foreach (Option option in new Option[]
        {
            shared.RabbitMq, shared.Server, shared.ApiKey, shared.RabbitMqCa, shared.Input, shared.Inputs,
            own.CorrelationId, own.MessageId, own.Wait, own.Timeout, shared.Json, shared.Verbose, shared.VeryVerbose,
        })
            command.Add(option);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(StartArguments.From(parsed, shared, own), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow start ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["start", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(StartArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        JsonObject inputs;
        try
        {
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
            Workflow = options.Workflow,
            InputsJson = inputs.ToJsonString(),
            CorrelationId = options.CorrelationId,
        };
        if (options.IsFile)
        {
            var file = options.Workflow;
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
            id = await client.StartAsync(options.Workflow, inputs, options.CorrelationId, options.MessageId, ct);
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
