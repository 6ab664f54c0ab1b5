using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Crash;

/// <summary>
/// Issue 3's crash tests, from the outside: the real <c>virtflow run</c> is killed with SIGKILL while its instance waits
/// (a timer, an event, a command's reply) and while its steps run (a forEach, two at a time, over slow HTTP calls); then
/// <c>virtflow resume</c> (and <c>virtflow event</c>) finish it as if nothing happened. Every step with an effect calls
/// the test's HTTP server, which counts: a completed step never calls twice; only steps in flight at the kill do.
/// </summary>
public abstract partial class CrashTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(3);

    protected abstract Task<TestStore> CreateStoreAsync(string name);

    [Fact]
    public async Task When_killed_while_waiting_then_resumed_every_wait_ends_and_no_completed_step_runs_again()
    {
        await using var server = RecordingHttpServer.Start();
        var store = await CreateStoreAsync("waiting");
        await using var db = await store.OpenAsync();
        var file = CrashWorkflows.Write(CrashWorkflows.Waiting, "crash-waiting");
        var id = "wait-" + Guid.NewGuid().ToString("N")[..8];
        var tag = "t" + Guid.NewGuid().ToString("N")[..6];

        // 1. run, killed while its instance waits on the timer.
        await using (var run = VirtFlowProcess.Start("run", file, "--store", store.Spec, "--id", id, "--input", $"server={server.Url}", "--input", $"tag={tag}", "-v"))
        {
            await Eventually.Until(async () => run.HasExited || await WaitsAtAsync(db, id, "nap"), Step, $"instance {id} waiting on its timer\n{run}");
            Assert.False(run.HasExited, run.ToString());
            run.Kill();
        }
        Assert.Equal(InstanceStatus.Suspended, (await db.GetInstanceAsync(id))!.Status);
        Assert.Equal(1, server.Hits("/hit/first"));

        // 2. the event comes while nobody runs, even before its wait began: kept in the inbox.
        var (code, output, error) = await VirtFlowProcess.RunAsync(Step, "event", "--store", store.Spec, "--name", "go", "--correlation", tag, "--data", "{\"by\":\"ops\"}");
        Assert.True(code == 0, error);
        Assert.Contains($"queued for key event:go:{tag}", output);

        // 3. resume: the overdue timer fires, the event is matched, the command is sent; killed while waiting for its reply.
        string commandId;
        await using (var resume = VirtFlowProcess.Start("resume", "--store", store.Spec, "-v"))
        {
            var reply = await Eventually.Until(async () => resume.HasExited ? "" : await ReplyKeyAsync(db, id), Step, $"instance {id} waiting for its reply\n{resume}");
            Assert.False(resume.HasExited, resume.ToString());
            commandId = reply["reply:".Length..];
            await Eventually.Until(async () => (await store.OutboxAsync(id)).Any(r => r.Id == commandId && r.Dispatched), Step, $"command {commandId} sent\n{resume}");
            await resume.WaitForErrorAsync($"Sent Note {commandId} ", Step);
            resume.Kill();
        }

        // The broker took it but the process died before marking it sent: at least once means it goes again, same id.
        await store.MarkPendingAsync(commandId);
        (code, _, error) = await VirtFlowProcess.RunAsync(Step, "event", "--store", store.Spec, "--key", $"reply:{commandId}", "--data", "{\"ok\":true}", "--id", "reply-1");
        Assert.True(code == 0, error);

        // 4. resume again: to the end.
        await using var last = VirtFlowProcess.Start("resume", "--store", store.Spec, "--json", "-v");
        Assert.True(await last.WaitForExitAsync(Finish) == 0, last.ToString());
        var finals = JsonNode.Parse(last.Stdout)!.AsArray();
        var final = Assert.Single(finals, f => f!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal("ops", final["outputs"]!["approvedBy"]!.GetValue<string>());
        Assert.Equal(commandId, final["outputs"]!["commandId"]!.GetValue<string>());
        Assert.True(final["outputs"]!["reply"]!["ok"]!.GetValue<bool>());

        // The command: one row, one id, sent again by the second resume with that same id.
        var notes = (await store.OutboxAsync(id)).Where(r => r.MessageType == "Note").ToList();
        var note = Assert.Single(notes);
        Assert.Equal(commandId, note.Id);
        Assert.True(note.Dispatched);
        Assert.Contains($"Sent Note {commandId} ", last.Stderr);

        // Nothing ran twice: one call each, one start per step; the waits were resumed.
        Assert.Equal(1, server.Hits("/hit/first"));
        Assert.Equal(1, server.Hits("/hit/last"));
        var journal = await db.GetJournalAsync(id);
        foreach (var step in new[] { "first", "nap", "approval", "notify", "last" })
            Assert.Equal(1, journal.Count(j => j.Kind == "StepStarted" && j.StepPath == step));
        Assert.Contains(journal, j => j.Kind == "Resumed" && j.StepPath == "nap");
        Assert.Contains(journal, j => j.Kind == "Resumed" && j.StepPath == "approval");
        Assert.Contains(journal, j => j.Kind == "Resumed" && j.StepPath == "notify");
    }

    [Fact]
    public async Task When_killed_while_steps_run_then_resumed_the_steps_in_flight_run_again_and_completed_ones_do_not()
    {
        await using var server = RecordingHttpServer.Start();
        server.Hold = path => path is "/item/d" or "/item/e";
        var store = await CreateStoreAsync("running");
        await using var db = await store.OpenAsync();
        var file = CrashWorkflows.Write(CrashWorkflows.Running, "crash-running");
        var id = "run-" + Guid.NewGuid().ToString("N")[..8];

        // 1. run, killed while two calls are in flight (a, b, c done; d, e held by the server).
        await using (var run = VirtFlowProcess.Start("run", file, "--store", store.Spec, "--id", id, "--input", $"server={server.Url}", "--input", "items=[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]", "-v"))
        {
            await Eventually.Until(async () => run.HasExited || (server.Held.Count == 2 && CompletedItems(await db.GetJournalAsync(id)).Count == 3),
                Step, $"3 items done and 2 in flight\n{run}");
            Assert.False(run.HasExited, run.ToString());
            run.Kill();
        }
        var killed = (await db.GetInstanceAsync(id))!;
        Assert.Equal(InstanceStatus.Running, killed.Status);
        var doneBefore = CompletedItems(await db.GetJournalAsync(id));
        server.ReleaseAll();

        // 2. resume: once the dead engine's lease runs out, the instance is recovered and finished.
        await using var resume = VirtFlowProcess.Start("resume", "--store", store.Spec, "--json", "-v");
        Assert.True(await resume.WaitForExitAsync(Finish) == 0, resume.ToString());
        var final = Assert.Single(JsonNode.Parse(resume.Stdout)!.AsArray(), f => f!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("completed", final["status"]!.GetValue<string>());
        Assert.Equal(200, final["outputs"]!["done"]!.GetValue<int>());

        var journal = await db.GetJournalAsync(id);
        var recovered = Assert.Single(journal, j => j.Kind == "RecoveredAfterCrash");
        var rerun = recovered.Data!["rerun"]!.AsArray().Select(p => p!.GetValue<string>()).Order().ToList();
        Assert.Equal(2, rerun.Count);

        // The items completed before the kill were called once and started once; those in flight were called again.
        Assert.Equal(["/item/a", "/item/b", "/item/c"], doneBefore.Values.Order().ToList());
        foreach (var item in new[] { "a", "b", "c", "f" }) Assert.Equal(1, server.Hits($"/item/{item}"));
        foreach (var item in new[] { "d", "e" }) Assert.Equal(2, server.Hits($"/item/{item}"));
        Assert.Equal(1, server.Hits("/hit/done"));
        foreach (var path in doneBefore.Keys)
        {
            Assert.Equal(1, journal.Count(j => j.Kind == "StepStarted" && j.StepPath == path));
            Assert.DoesNotContain(path, rerun);
        }
        var calls = journal.Where(j => j.StepPath is { } p && ItemCall().IsMatch(p)).Select(j => j.StepPath!).Distinct().ToList();
        Assert.Equal(6, calls.Count);
        foreach (var path in calls) Assert.Equal(1, journal.Count(j => j.Kind == "StepCompleted" && j.StepPath == path));
        var lastDone = journal.Where(j => j.Kind == "StepCompleted" && doneBefore.ContainsKey(j.StepPath ?? "")).Max(j => j.Sequence);
        Assert.True(recovered.Sequence > lastDone, "the recovery comes after the completions it keeps");
    }

    /// <summary>The item calls completed so far: step path → the URL path it called.</summary>
    private static Dictionary<string, string> CompletedItems(IReadOnlyList<JournalEntry> journal) =>
        journal.Where(j => j.Kind == "StepCompleted" && j.StepPath is { } p && ItemCall().IsMatch(p))
            .ToDictionary(j => j.StepPath!, j => ItemOf(j));

    /// <summary>work[3]/call → /item/d (items a, b, c, ... in order).</summary>
    private static string ItemOf(JournalEntry completed) =>
        "/item/" + (char)('a' + int.Parse(ItemCall().Match(completed.StepPath!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<bool> WaitsAtAsync(IWorkflowStore db, string id, string stepPath) =>
        (await db.GetBookmarksAsync(id)).Any(b => b.StepPath == stepPath);

    private static async Task<string?> ReplyKeyAsync(IWorkflowStore db, string id) =>
        (await db.GetBookmarksAsync(id)).Select(b => b.Key).FirstOrDefault(k => k?.StartsWith("reply:", StringComparison.Ordinal) == true);

    [GeneratedRegex(@"^work\[(\d+)\]/call$")]
    private static partial Regex ItemCall();
}

[Collection(ProcessCollection.Name)]
public sealed class Crash_on_sqlite : CrashTests
{
    protected override Task<TestStore> CreateStoreAsync(string name) => Task.FromResult(TestStore.Sqlite());
}

[Collection(ProcessCollection.Name)]
public sealed class Crash_on_postgres(PostgresFixture postgres) : CrashTests
{
    protected override Task<TestStore> CreateStoreAsync(string name) => TestStore.PostgresAsync(postgres.Server, "crash_" + name);
}
