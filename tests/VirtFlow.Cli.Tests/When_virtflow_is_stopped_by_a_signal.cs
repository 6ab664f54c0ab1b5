using System.Diagnostics;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>
/// SIGINT and SIGTERM stop a real <c>virtflow run</c> process within 5 s: the verb finishes on its own when it can
/// (a workflow waiting for an event), and the process exits anyway, 130 or 143 with one line, when the verb is stuck
/// (a script evaluation allowed a minute, and any number of statements, by <c>VirtFlow__Scripts__*</c> ignores the token).
/// </summary>
public sealed class When_virtflow_is_stopped_by_a_signal
{
    private static readonly TimeSpan Start = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Stop = TimeSpan.FromSeconds(5);

    private const string Spinning = """
        name: spinning
        steps:
          - id: spin
            type: script
            with: { code: "while (true) {}" }
        """;

    private static string Write(string name, string text)
    {
        var path = Path.Combine(TestDirs.Create("signal"), name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string SqliteStore() => "sqlite:" + Path.Combine(TestDirs.Create("signal-db"), "virtflow.db");

    private static VirtFlowProcess StartStuck(string store) => VirtFlowProcess.Start(
        new Dictionary<string, string> { ["VirtFlow__Scripts__Timeout"] = "1m", ["VirtFlow__Scripts__MaxStatements"] = "0" },
        "run", Write("spinning.yaml", Spinning), "--store", store);

    [Theory]
    [InlineData(15, 143, "SIGTERM")]
    [InlineData(2, 130, "SIGINT")]
    public async Task A_verb_stuck_in_a_script_is_stopped_within_5_s_with_128_plus_the_signal(int signal, int code, string name)
    {
        await using var run = StartStuck(SqliteStore());
        await run.WaitForOutputAsync("step spin started", Start);

        var watch = Stopwatch.StartNew();
        if (signal == 15) run.Terminate(); else run.Interrupt();
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < Stop, $"it took {watch.Elapsed} to stop\n{run}");
        Assert.Equal(code, exit);
        Assert.Contains($"virtflow: stopped by {name} before the verb finished", run.Stderr.Split('\n'));
    }

    [Fact]
    public async Task A_second_Ctrl_C_exits_at_once()
    {
        await using var run = StartStuck(SqliteStore());
        await run.WaitForOutputAsync("step spin started", Start);

        run.Interrupt();
        await run.WaitForErrorAsync("virtflow: interrupted, stopping (Ctrl-C again to stop at once)", Stop);
        var watch = Stopwatch.StartNew();
        run.Interrupt();
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"it took {watch.Elapsed} after the second Ctrl-C\n{run}");
        Assert.Equal(130, exit);
        Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("virtflow: stopped by", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_verb_that_can_finish_does_so_and_keeps_its_own_exit_code()
    {
        await using var run = VirtFlowProcess.Start("run", Path.Combine(TestDirs.RepoRoot, "workflows", "examples", "wait-for-approval.yaml"),
            "--store", SqliteStore(), "--input", "change=CH-9");
        await run.WaitForOutputAsync("step answer waits", Start);

        var watch = Stopwatch.StartNew();
        run.Terminate();
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(watch.Elapsed < Stop, $"it took {watch.Elapsed} to stop\n{run}");
        Assert.Equal(1, exit);
        Assert.Contains("cancelled: interrupted by the user (Ctrl-C or SIGTERM)", run.Stderr);
        Assert.DoesNotContain("virtflow: stopped by", run.Stderr);
    }

    [Fact]
    public async Task A_hanging_script_faults_with_the_time_limit_and_resume_does_not_run_it_again()
    {
        var store = SqliteStore();
        var file = Write("hanging.yaml", """
            name: hanging
            steps:
              - id: hang
                type: script
                with: { code: "const t = Date.now(); while (Date.now() - t < 10000) {}" }
            """);

        var (code, _, stderr) = await VirtFlowProcess.RunAsync(Start, "run", file, "--store", store);
        Assert.Equal(1, code);
        Assert.Contains("step 'hang': script 'const t = Date.now(); while (Date.now() - t < 10000) {}' failed: exceeded its time limit of 1s", stderr);

        var watch = Stopwatch.StartNew();
        var (resumeCode, resumeOut, resumeErr) = await VirtFlowProcess.RunAsync(Start, "resume", "--store", store);
        Assert.True(resumeCode == 0, resumeErr);
        Assert.Contains("nothing to resume", resumeOut);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"resume took {watch.Elapsed}");
    }
}
