using System.CommandLine;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Engine;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow run FILE</c>: validates a workflow, then runs one instance of it to the end in an embedded VirtFlow (the
/// engine with its background loop, the store, a MassTransit in-memory bus and the worker of host <c>local</c> serving
/// the <c>--vm</c>s), showing steps and per-disk progress as they happen. Ctrl-C cancels the instance (its finally
/// blocks still run; the worker releases any quiesce lease on the way out). Exit code 0 when it completed, 1 when it
/// faulted or was cancelled (the reason is printed), 2 for bad usage or an invalid workflow.
/// </summary>
internal static class RunCommand
{
    /// <summary>How long Ctrl-C waits for the cancelled instance (finally blocks) before giving up.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(60);

    internal const string CancelReason = "interrupted by the user (Ctrl-C or SIGTERM)";

    private const string Description =
        "Runs one instance of the workflow in FILE to the end, in this process (engine, store, bus and the worker of host 'local'). "
        + "A workflow FILE calls (type: call, with: { workflow: NAME }) is read from NAME.yaml|.yml|.json beside FILE. "
        + "--json prints only the final instance: {id, workflow, status, outputs, fault, startedAt, endedAt}. "
        + "After a crash, 'virtflow resume --store SPEC' finishes what was left unfinished.\n"
        + "exit code: 0 completed, 1 faulted or cancelled (Ctrl-C), 2 bad usage or invalid workflow\n"
        + LimitSettings.Help;

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var workflow = new RunArguments.WorkflowOptions();
        var command = new Command("run", Description);
        CliArguments.AddRequired(command, workflow.File, "no workflow file given");
        command.Add(shared.Input);
        command.Add(shared.Inputs);
        RunArguments.AddTo(command, shared);
        command.Add(workflow.Id);
        command.Add(workflow.Correlation);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(RunArguments.From(parsed, shared, workflow), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow run ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["run", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(RunArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        JsonObject inputs;
        WorkflowLimits limits;
        string storeSpec;
        try
        {
            inputs = RunInputs.Build(options.Inputs);
            limits = LimitSettings.FromEnvironment();
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow run: {RunHost.OneLine(e.Message)} (see virtflow run --help)");
            return 2;
        }

        var catalog = VirtFlowActivities.CreateRegistry();
        var definition = await RunWorkflowFile.LoadAsync(options.File!, catalog, stderr, "run", ct, limits);
        if (definition is null) return 2;
        try
        {
            storeSpec = await options.StoreSpecAsync();
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow run: {RunHost.OneLine(e.Message)} (see virtflow run --help)");
            return 2;
        }

        var called = await RunWorkflowFile.CalledAsync(options.File!, definition, catalog, stderr, "run", ct, limits);
        if (called is null) return 2;
        var (host, code) = await RunHost.StartAsync(options, storeSpec, called, stderr, "run", ct);
        if (host is null) return code;
        await using (host)
        {
            return await RunInstanceAsync(host, definition, inputs, options, stdout, stderr, ct);
        }
    }

    private static async Task<int> RunInstanceAsync(
        EmbeddedVirtFlow host, WorkflowDefinition definition, JsonObject inputs, RunArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var engine = host.Engine;
        host.Definitions.Add(definition);
        var id = options.InstanceId ?? Guid.NewGuid().ToString("N");
        var others = (await ResumeCommand.UnfinishedAsync(host.Store, CancellationToken.None, limit: 1000)).Count(i => i.Id != id);
        if (others > 0)
            await stderr.WriteLineAsync($"virtflow run: note: {others} other unfinished instance{(others == 1 ? "" : "s")} in this store continue{(others == 1 ? "s" : "")} here too while it runs ('virtflow resume' finishes them)");
        var view = RunView.Create(stdout, options.Json, showInstance: false, verbose: options.Verbosity > 0);
        var feed = view is null ? null : await RunJournalFeed.StartAsync(engine, host.Store, view, id, i => i == id);

        WorkflowInstance final;
        try
        {
            // Not cancelled by Ctrl-C: the instance is cancelled instead (below), so its finally blocks run.
            var start = engine.StartAsync(definition, inputs, new StartOptions { InstanceId = id, CorrelationId = options.CorrelationId }, CancellationToken.None);
            try
            {
                await start.WaitAsync(ct);
                final = await engine.WaitForCompletionAsync(id, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                final = await CancelAsync(engine, id, start, stderr);
            }
        }
        catch (WorkflowEngineException e)
        {
            // Inputs that do not fit the workflow, variables that cannot be evaluated: nothing was started.
            await stderr.WriteLineAsync($"virtflow run: {RunHost.OneLine(e.Message)}");
            return 2;
        }
        finally
        {
            if (feed is not null) await feed.StopAsync();
        }

        if (options.Json) await stdout.WriteLineAsync(RunReport.Json(RunReport.Document(final)));
        else await RunReport.WriteSummaryAsync(final, stdout, stderr);
        return RunReport.ExitCode(final);
    }

    /// <summary>
    /// Ctrl-C: cancels the instance (a run in flight is stopped; suspended steps are abandoned, finally blocks run) and
    /// waits for it to end, at most <see cref="CancelGrace"/>.
    /// </summary>
    private static async Task<WorkflowInstance> CancelAsync(WorkflowEngine engine, string id, Task<string> start, TextWriter stderr)
    {
        using var limit = new CancellationTokenSource(CancelGrace);
        try
        {
            await engine.CancelAsync(id, CancelReason, limit.Token);
            try
            {
                await start.WaitAsync(limit.Token);
            }
            catch (WorkflowEngineException)
            {
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the run that was stopped may end with an error: the instance's state tells
            }
            await engine.CancelAsync(id, CancelReason, limit.Token);
            return await engine.WaitForCompletionAsync(id, limit.Token);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync($"virtflow run: instance {id} did not finish cancelling within {CancelGrace.TotalSeconds:0}s; 'virtflow resume' continues it");
            return await engine.GetInstanceAsync(id, CancellationToken.None)
                ?? throw new WorkflowEngineException($"instance {id} was not started");
        }
    }
}
