using VirtFlow.Activities.Vm.Support;
using VirtFlow.Activities.Vm.Tests.Support;
using VirtFlow.Contracts;
using VirtFlow.Engine.Storage;
using VirtFlow.Testing;

namespace VirtFlow.Activities.Vm.Tests;

/// <summary>
/// Engine A runs copy-disks-pivot on a SQLite file and dies at a chosen commit; engine B opens the same file
/// once A's lease has run out, recovers the instance and finishes it. The host double answers a repeated
/// command id with its first reply, as the worker does. The vm.* activities are pure (their effects are the commit's
/// outbox), so A runs them without claiming the instance first: when A dies, the instance is as its last commit left it
/// (waiting), with what A had received still unconsumed in the inbox, and B's inbox sweep delivers it again.
/// </summary>
public sealed class When_an_engine_restarts
{
    [Fact]
    public async Task A_pivot_whose_reply_was_received_but_not_stored_is_finished_with_the_same_command_id()
    {
        // A dies on the commit that would store the pivot's outcome: the pivot (and the dismiss riding on it) ran on the
        // host, its reply was received, nothing of it was stored. The reply is still in the inbox: B delivers it and the
        // instance completes; no command goes out again.
        await using var run = await RestartAsync(commit => commit.Journal.Any(j => j.Kind == "Pivoted"));
        var (host, instanceId) = (run.Host, run.InstanceId);

        var instance = await run.B.InstanceAsync(instanceId);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal([$"{instanceId}:mirror:1:1", $"{instanceId}:pivot:1:1", $"{instanceId}:wait:1:1"], host.Received.Select(c => c.CommandId).Distinct().Order());
        Assert.Single(host.All<PivotJobs>().Select(p => p.CommandId).Distinct()); // (a repeat of A's send, marked sent by nobody, is the same command)
        Assert.Equal(["MirrorDisks", "PivotJobs"], run.BeforeDeath.Where(t => t != nameof(QueryVm)));
        Assert.Equal((0, 1), (run.Orphans, run.Redelivered));
        Assert.Equal(["vda", "vdb"], host.Pivoted);                      // switched once, however often the command came
        Assert.Empty(host.All<DismissJobs>());                             // the pivot dismissed its jobs itself
        Assert.Empty(host.Jobs);
        Assert.Equal(2, instance.Output!["jobs"]!.AsArray().Count);
        Assert.Empty(host.All<UnquiesceVm>());
        Assert.False(host.Quiesced);
        var journal = await run.B.JournalAsync(instanceId);
        Assert.Single(journal, j => j.Kind == "Pivoted");
        Assert.Single(journal, j => j.Kind == "InstanceCompleted");
    }

    [Fact]
    public async Task A_pivot_on_a_worker_without_the_dismiss_field_whose_outcome_was_not_stored_gets_its_DismissJobs_from_the_new_engine()
    {
        // A worker from before PivotJobs.Dismiss answers without dismissing: the engine sends DismissJobs once the outcome
        // is stored. A dies on the commit that would store the outcome (with that DismissJobs): the pivot ran on the
        // host, its reply is consumed in A's last checkpoint, the dismiss was never sent.
        await using var run = await RestartAsync(commit => commit.Outbox.Any(m => m.MessageType == nameof(DismissJobs)), host => host.IgnoresPivotDismiss = true);
        var (host, instanceId) = (run.Host, run.InstanceId);

        var instance = await run.B.InstanceAsync(instanceId);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        // B delivers the pivot's reply again (A's commit of it died) and sends the dismiss A never sent, with the id A
        // would have used. No command got a new id.
        Assert.Equal(
            [$"{instanceId}:mirror:1:1", $"{instanceId}:pivot:1:1", $"{instanceId}:pivot:1:2", $"{instanceId}:wait:1:1"],
            host.Received.Select(c => c.CommandId).Distinct().Order());
        Assert.Equal(["MirrorDisks", "PivotJobs"], run.BeforeDeath.Where(t => t != nameof(QueryVm)));
        Assert.Equal((0, 1), (run.Orphans, run.Redelivered));
        Assert.Equal(["vda", "vdb"], host.Pivoted);                      // switched once, however often the command came
        var dismiss = Assert.Single(host.All<DismissJobs>());              // sent only once the outcome was stored, by B
        Assert.Equal($"{instanceId}:pivot:1:2", dismiss.CommandId);
        Assert.Equal(host.All<MirrorDisks>().First().Disks.Select(d => d.JobId), dismiss.JobIds);
        Assert.Empty(host.All<UnquiesceVm>()); // the pivot released its own quiesce
        Assert.False(host.Quiesced);
        Assert.Single(await run.B.JournalAsync(instanceId), j => j.Kind == "Pivoted");
    }

    [Fact]
    public async Task A_mirror_that_died_before_its_command_left_is_re_run_with_the_same_command_and_job_ids()
    {
        // A dies on the commit that holds the MirrorDisks: nothing reached the host, the step re-runs on B.
        await using var run = await RestartAsync(commit => commit.Outbox.Any(m => m.MessageType == nameof(MirrorDisks)));
        var (host, instanceId) = (run.Host, run.InstanceId);

        var instance = await run.B.InstanceAsync(instanceId);
        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Empty(run.BeforeDeath);
        Assert.Equal(1, run.Orphans); // the start's own commit died: the instance stayed Running under A's lease
        Assert.Contains(await run.B.JournalAsync(instanceId), j => j.Kind == "RecoveredAfterCrash");
        var mirror = Assert.Single(host.All<MirrorDisks>());
        Assert.Equal($"{instanceId}:mirror:1:1", mirror.CommandId);
        Assert.Equal([JobIds.For(instanceId, "mirror", 1, "vda"), JobIds.For(instanceId, "mirror", 1, "vdb")], mirror.Disks.Select(d => d.JobId));
        Assert.Equal(["MirrorDisks", "PivotJobs"], host.Effects);
    }

    [Fact]
    public async Task A_quiesced_pivot_committed_but_not_sent_before_the_death_is_sent_once_by_the_new_engine()
    {
        // A dies on the commit that holds the PivotJobs (with its quiesce): nothing reached the host, B sends it, after
        // delivering again what A had received since its last commit (the mirror's reply, the READY events).
        await using var run = await RestartAsync(commit => commit.Outbox.Any(m => m.MessageType == nameof(PivotJobs)));
        var instance = await run.B.InstanceAsync(run.InstanceId);

        Assert.True(instance.Status == InstanceStatus.Completed, instance.Fault);
        Assert.Equal(["MirrorDisks"], run.BeforeDeath.Where(t => t != nameof(QueryVm)));
        Assert.Equal(0, run.Orphans);
        Assert.Single(run.Host.All<MirrorDisks>().Select(m => m.CommandId).Distinct());
        Assert.All(run.Host.All<PivotJobs>(), p => Assert.Equal(($"{run.InstanceId}:pivot:1:1", QuiesceModes.Auto), (p.CommandId, p.Quiesce)));
        Assert.Equal(["vda", "vdb"], run.Host.Pivoted);
        Assert.False(run.Host.Quiesced);
    }

    private static async Task<Restart> RestartAsync(Func<InstanceCommit, bool> dieOn, Action<FakeHost>? setUp = null)
    {
        var dir = TestDirs.Create("vm-restart");
        var path = Path.Combine(dir, "virtflow.db");
        var clockA = new ManualClock();
        DyingStore? death = null;
        var a = await VmHost.CreateAsync(clock: clockA, sqlitePath: path, engineId: "engine-a",
            wrap: inner => DyingStore.Wrap(inner, dieOn, out death));
        const string instanceId = "move-web1";
        setUp?.Invoke(a.Host);
        try
        {
            await a.Engine.StartAsync(a.Workflow("copy-disks-pivot.yaml"), VmHost.TwoDisks(), new Engine.Runtime.StartOptions { InstanceId = instanceId });
        }
        catch (EngineDiedException)
        {
            // A is gone
        }
        Assert.True(death!.Dead, "engine A was meant to die");
        var beforeDeath = a.Host.Types.ToList();

        var clockB = new ManualClock(clockA.GetUtcNow() + TimeSpan.FromMinutes(1)); // A's lease has run out
        var b = await VmHost.CreateAsync(clock: clockB, sqlitePath: path, engineId: "engine-b", registerHost: false);
        var host = a.Host;                          // the same host worker, now answering engine B
        host.Engine = b.Engine;
        b.Transport.Register(host.HostId, host.HandleAsync);
        var orphans = await b.Engine.RecoverOrphansAsync();  // Running under A's lease (it died in a claimed run)
        var redelivered = await b.Engine.SweepInboxAsync(); // what A received after its last commit
        await b.Engine.DispatchPendingOutboxAsync();         // what A committed but never sent (or never marked sent)
        await b.SettleAsync();
        return new Restart(a, b, host, instanceId, beforeDeath, dir, orphans, redelivered);
    }

    private sealed record Restart(VmHost A, VmHost B, FakeHost Host, string InstanceId, List<string> BeforeDeath, string Dir, int Orphans, int Redelivered) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            Directory.Delete(Dir, recursive: true);
        }
    }
}
