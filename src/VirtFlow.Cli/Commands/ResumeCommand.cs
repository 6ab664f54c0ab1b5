using System.CommandLine;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow resume</c>: the recovery path after a crash of <c>virtflow run</c>. Starts the embedded VirtFlow on the
/// store and continues every unfinished instance to the end: instances that were running are taken over once their
/// dead engine's lease runs out (journaled <c>RecoveredAfterCrash</c>; completed steps are kept, steps in flight run
/// again with the same command ids), due timers fire, events queued meanwhile are delivered, unsent commands are sent.
/// Ctrl-C stops waiting without cancelling anything. Exit code 0 when every instance completed, 1 otherwise.
/// </summary>
internal static class ResumeCommand
{
    private const int MaxInstances = 100_000;

    private const string Description =
        "Continues every unfinished instance in the store to the end (after a crash of 'virtflow run'); "
        + "--vm, --storage-root, --allow-qmp as for 'virtflow run': the VMs the worker of host 'local' serves. "
        + "--json prints only the final instances, as a JSON array of {id, workflow, status, outputs, fault, startedAt, endedAt}. "
        + "Ctrl-C stops waiting; nothing is cancelled, and resume can be run again.\n"
        + "exit code: 0 all completed (or nothing to resume), 1 any faulted, cancelled or still unfinished, 2 bad usage";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var command = new Command("resume", Description);
        RunArguments.AddTo(command, shared);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(RunArguments.From(parsed, shared, null), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow resume ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["resume", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(RunArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        string storeSpec;
        try
        {
            storeSpec = await options.StoreSpecAsync();
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow resume: {RunHost.OneLine(e.Message)} (see virtflow resume --help)");
            return 2;
        }

        var (host, code) = await RunHost.StartAsync(options, storeSpec, [], stderr, "resume", ct);
        if (host is null) return code;
        await using (host)
        {
            var unfinished = await UnfinishedAsync(host.Store, ct);
            if (unfinished.Count == 0)
            {
                if (options.Json) await stdout.WriteLineAsync("[]");
                else await stdout.WriteLineAsync("nothing to resume");
                return 0;
            }
            if (!options.Json)
                await stdout.WriteLineAsync($"resuming {unfinished.Count} unfinished instance{(unfinished.Count == 1 ? "" : "s")}: "
                    + string.Join(", ", unfinished.Take(10).Select(i => $"{TerminalText.Safe(i.Id)} ({TerminalText.Safe(i.WorkflowName)}, {RunReport.Status(i.Status)})"))
                    + (unfinished.Count > 10 ? ", ..." : ""));

            var ids = unfinished.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            var view = RunView.Create(stdout, options.Json, showInstance: true, verbose: options.Verbosity > 0);
            var feed = view is null ? null : await RunJournalFeed.StartAsync(host.Engine, host.Store, view, null, ids.Contains);
            var finals = new List<WorkflowInstance>();
            var interrupted = false;
            try
            {
                foreach (var instance in unfinished)
                    finals.Add(await host.Engine.WaitForCompletionAsync(instance.Id, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                interrupted = true;
            }
            finally
            {
                if (feed is not null) await feed.StopAsync();
            }
            if (interrupted)
            {
                finals.Clear();
                foreach (var instance in unfinished)
                    finals.Add(await host.Store.GetInstanceAsync(instance.Id, CancellationToken.None) ?? instance);
            }

            if (options.Json)
                await stdout.WriteLineAsync(RunReport.Json(new JsonArray(finals.Select(f => (JsonNode)RunReport.Document(f)).ToArray())));
            else
                foreach (var final in finals) await RunReport.WriteSummaryAsync(final, stdout, stderr, showInstance: true);
            if (interrupted)
                await stderr.WriteLineAsync($"virtflow resume: interrupted; {finals.Count(f => !f.IsFinal)} instance(s) still unfinished (run 'virtflow resume' again)");
            return finals.All(f => f.Status == InstanceStatus.Completed) ? 0 : 1;
        }
    }

    /// <summary>Running and suspended instances, oldest first.</summary>
    internal static async Task<List<WorkflowInstance>> UnfinishedAsync(IWorkflowStore store, CancellationToken ct, int limit = MaxInstances)
    {
        var running = await store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Running, Limit: limit), ct);
        var suspended = await store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Suspended, Limit: limit), ct);
        return running.Concat(suspended).OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }
}
