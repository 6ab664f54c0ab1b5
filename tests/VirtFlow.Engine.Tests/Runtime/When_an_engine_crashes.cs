using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Tests.Runtime.Support;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Runtime;

/// <summary>
/// Engine A runs an instance on a SQLite file and "dies" in the middle of step c (its task hangs, its clock
/// stops, so its lease is never renewed). Engine B opens the same file later, finds the orphan and finishes it.
/// </summary>
public sealed class When_an_engine_crashes
{
    private const string Workflow = """
        name: migrate
        steps:
          - { id: a, type: test.probe, with: { name: a } }
          - { id: b, type: test.probe, with: { name: b } }
          - { id: c, type: test.block, with: { commands: 2 } }
          - { id: d, type: test.probe, with: { name: d } }
        """;

    [Fact]
    public async Task Another_engine_recovers_it_without_running_completed_steps_again()
    {
        await using var crash = await CrashAsync();
        var (a, b, probe) = (crash.A, crash.B, crash.Probe);

        Assert.Equal(1, await b.Engine.RecoverOrphansAsync());

        var instance = await b.InstanceAsync("vm-42");
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(1, probe.Count("a"));
        Assert.Equal(1, probe.Count("b"));
        Assert.Equal(2, probe.Count("c"));
        Assert.Equal(1, probe.Count("d"));
        var recovered = Assert.Single(await b.JournalAsync("vm-42"), j => j.Kind == "RecoveredAfterCrash");
        Assert.Equal("resumed after engine crash; 2 completed steps kept, step c re-run from its last checkpoint", recovered.Message);
        Assert.Equal("engine-a", recovered.Data!["previousOwner"]!.GetValue<string>());
        Assert.Equal(0, await b.Engine.RecoverOrphansAsync());
    }

    [Fact]
    public async Task The_re_run_step_sends_its_commands_with_the_same_ids()
    {
        await using var crash = await CrashAsync();
        var (b, probe) = (crash.B, crash.Probe);
        var idsBeforeCrash = probe.CommandIds.ToArray();
        Assert.Equal(["vm-42:c:1:1", "vm-42:c:1:2"], idsBeforeCrash);

        await b.Engine.RecoverOrphansAsync();

        Assert.Equal(idsBeforeCrash.Concat(idsBeforeCrash), probe.CommandIds.ToArray());
        var journal = await b.JournalAsync("vm-42");
        Assert.Contains(journal, j => j.Kind == "StepStarted" && j.StepPath == "c" && j.Message!.Contains("re-run from its last checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_orphan_is_found_only_once_its_lease_has_run_out()
    {
        await using var crash = await CrashAsync(advanceB: TimeSpan.FromSeconds(10));
        Assert.Equal(0, await crash.B.Engine.RecoverOrphansAsync());
        crash.ClockB.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await crash.B.Engine.RecoverOrphansAsync());
    }

    private static async Task<Crash> CrashAsync(TimeSpan? advanceB = null)
    {
        var dir = TestDirs.Create("crash");
        var path = Path.Combine(dir, "virtflow.db");
        var probe = new Probe();
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var clockA = new ManualClock(start);
        var clockB = new ManualClock(start);
        var a = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clockA, Probe = probe, BlockForever = true, EngineId = "engine-a" });
        a.Transport.Register("host-1", (_, _) => Task.CompletedTask);
        var kill = new CancellationTokenSource();
        var running = a.Engine.StartAsync(a.Define(Workflow), null, new StartOptions { InstanceId = "vm-42" }, kill.Token);
        await probe.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(20));

        clockB.Advance(advanceB ?? TimeSpan.FromMinutes(1));
        var b = await TestHost.CreateAsync("sqlite", new HostSettings { SqlitePath = path, Clock = clockB, Probe = probe, EngineId = "engine-b" });
        b.Transport.Register("host-1", (_, _) => Task.CompletedTask);
        return new Crash(a, b, probe, clockB, kill, running, dir);
    }

    private sealed record Crash(TestHost A, TestHost B, Probe Probe, ManualClock ClockB, CancellationTokenSource Kill, Task Running, string Dir) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Kill.CancelAsync();
            try
            {
                await Running;
            }
            catch (OperationCanceledException)
            {
                // the "dead" engine is stopped for good
            }
            Kill.Dispose();
            await A.DisposeAsync();
            await B.DisposeAsync();
            Directory.Delete(Dir, recursive: true);
        }
    }
}
