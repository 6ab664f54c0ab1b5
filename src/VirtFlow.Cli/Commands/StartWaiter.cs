using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow start --wait</c>: follows an instance through the server's messages (subscribed before the start message
/// was sent) and the status it answers (asked at once, then now and then), shows them like <c>virtflow run</c>, and
/// reports the end the same way.
/// </summary>
internal static class StartWaiter
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AskEvery = TimeSpan.FromSeconds(15);

    public static async Task<int> WaitAsync(WorkflowStartClient client, string id, string workflow, StartArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var view = RunView.Create(stdout, options.Json, showInstance: false, verbose: options.Verbosity > 0);
        view?.Start();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Timeout is { } timeout) deadline.CancelAfter(timeout);
        var result = new Followed();
        try
        {
            await FollowAsync(client, id, view, result, deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // interrupted or timed out: said below
        }
        finally
        {
            if (view is not null) await view.CompleteAsync();
        }

        if (result.Final is null && result.Rejected is null && !ct.IsCancellationRequested)
        {
            // Timed out: the stored status says where it stands (it may even have ended just now).
            using var ask = new CancellationTokenSource(AskTimeout * 2);
            try
            {
                if (RunOutcome.From(await client.AskStatusAsync(id, AskTimeout, ask.Token) ?? NotFound(id)) is { } stored)
                {
                    result.Last = stored;
                    if (stored.IsFinal) result.Final = stored;
                }
            }
            catch (OperationCanceledException)
            {
                // no answer: report what is known
            }
        }
        if (result.Rejected is { } reason)
        {
            if (options.Json)
                await stdout.WriteLineAsync(RunReport.Json(new JsonObject { ["id"] = id, ["workflow"] = workflow, ["status"] = WorkflowStatuses.Rejected.ToLowerInvariant(), ["outputs"] = null, ["fault"] = reason }));
            await stderr.WriteLineAsync($"virtflow start: the server did not start it: {RunHost.OneLine(reason)}");
            return 2;
        }
        if (result.Final is { } final)
        {
            if (options.Json) await stdout.WriteLineAsync(RunReport.Json(RunReport.Document(final)));
            else await RunReport.WriteSummaryAsync(final, stdout, stderr);
            return RunReport.ExitCode(final);
        }
        if (options.Json && result.Last is { } last) await stdout.WriteLineAsync(RunReport.Json(RunReport.Document(last)));
        if (ct.IsCancellationRequested)
            await stderr.WriteLineAsync($"virtflow start: stopped waiting; instance {id} goes on on the server");
        else
            await stderr.WriteLineAsync($"virtflow start: instance {id} still {(result.Last is { } l ? RunReport.Status(l.Status) : "not started")} after {Duration.Format(options.Timeout!.Value)}; it goes on on the server");
        return 1;
    }

    /// <summary>Until the instance is final or rejected (or <paramref name="ct"/> fires), keeping what it learns in <paramref name="result"/>.</summary>
    private static async Task FollowAsync(WorkflowStartClient client, string id, RunView? view, Followed result, CancellationToken ct)
    {
        var messages = client.Watch!.Messages;
        var nextAsk = DateTimeOffset.MinValue;
        while (true)
        {
            if (DateTimeOffset.UtcNow >= nextAsk)
            {
                if (RunOutcome.From(await client.AskStatusAsync(id, AskTimeout, ct) ?? NotFound(id)) is { } asked)
                {
                    result.Last = asked;
                    if (asked.IsFinal)
                    {
                        result.Final = asked;
                        return;
                    }
                }
                nextAsk = DateTimeOffset.UtcNow + AskEvery;
            }
            object? message;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(nextAsk - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
                try
                {
                    message = await messages.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    continue;
                }
            }
            view?.Post(message);
            if (message is not WorkflowStatusChanged status) continue;
            if (status.Status == WorkflowStatuses.Rejected)
            {
                result.Rejected = status.Fault ?? "(no reason given)";
                return;
            }
            if (!WorkflowStatuses.IsFinal(status.Status))
            {
                result.Last = RunOutcome.From(new WorkflowStatus { InstanceId = id, Workflow = status.Workflow, Status = status.Status, StartedAt = result.Last?.StartedAt ?? status.At }) ?? result.Last;
                continue;
            }
            // The end: the stored instance tells when it started and ended; the message is enough if no server answers.
            for (var i = 0; i < 3; i++)
            {
                if (RunOutcome.From(await client.AskStatusAsync(id, AskTimeout, ct) ?? NotFound(id)) is { IsFinal: true } stored)
                {
                    result.Final = result.Last = stored;
                    return;
                }
            }
            var fallback = RunOutcome.From(new WorkflowStatus
            {
                InstanceId = id,
                Workflow = status.Workflow,
                Status = status.Status,
                Fault = status.Fault,
                OutputsJson = status.OutputsJson,
                UpdatedAt = status.At,
            });
            result.Final = result.Last = fallback;
            return;
        }
    }

    /// <summary>What following learned: the end, a rejection, or the last status known.</summary>
    private sealed class Followed
    {
        public RunOutcome? Final { get; set; }
        public string? Rejected { get; set; }
        public RunOutcome? Last { get; set; }
    }

    private static WorkflowStatus NotFound(string id) => new() { InstanceId = id, Status = WorkflowStatuses.NotFound };
}
