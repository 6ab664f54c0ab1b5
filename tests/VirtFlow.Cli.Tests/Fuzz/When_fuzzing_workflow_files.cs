using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using VirtFlow.Cli.Commands;
using VirtFlow.Engine.Definitions;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Cli.Tests.Fuzz;

/// <summary>
/// Throws mutated shipped workflows and random YAML at <c>virtflow validate</c> (its code, in this process) and at the
/// loader the server uses, for about 45 seconds: no case may throw, print anything but diagnostics, use more than 2 s of
/// CPU or allocate more than 512 MB. The seed is printed (and in every failure); <c>VIRTFLOW_FUZZ_SEED=N</c> replays it.
/// Every case runs on a thread with a 1 MB stack (less than a thread-pool thread has), and the last case is kept on
/// disk, so a crash leaves it behind.
/// </summary>
public sealed partial class When_fuzzing_workflow_files(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan MaxCpu = TimeSpan.FromSeconds(2);
    private const long MaxAllocated = 512L * 1024 * 1024;
    private const int MaxStack = 1024 * 1024;

    [Fact]
    public void Validate_and_the_loader_survive_every_case_in_bounded_time_and_memory()
    {
        var seed = Environment.GetEnvironmentVariable("VIRTFLOW_FUZZ_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay: VIRTFLOW_FUZZ_SEED={seed})");
        var dir = TestDirs.Create("fuzz");
        var shipped = Directory.EnumerateFiles(Path.Combine(TestDirs.RepoRoot, "workflows"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(shipped);

        string? failure = null;
        var cases = 0;
        var worst = (Cpu: TimeSpan.Zero, Allocated: 0L);
        var thread = new Thread(
            () =>
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; watch.Elapsed < Budget && failure is null; i++)
                {
                    var random = new Random(unchecked((seed * 1_000_003) + i));
                    var kind = random.Next(FuzzCases.Kinds.Length);
                    var file = Path.Combine(dir, $"case{(kind == 1 ? ".json" : ".yaml")}");
                    File.WriteAllBytes(file, FuzzCases.Make(kind, random, shipped));
                    failure = RunCase(file, out var used);
                    if (failure is not null)
                        failure = $"case {i} ({FuzzCases.Kinds[kind]}, kept at {file}) of seed {seed} (replay: VIRTFLOW_FUZZ_SEED={seed}): {failure}";
                    worst = (Max(worst.Cpu, used.Cpu), Math.Max(worst.Allocated, used.Allocated));
                    cases = i + 1;
                }
            },
            MaxStack);
        thread.Start();
        Assert.True(thread.Join(Budget + TimeSpan.FromSeconds(60)), $"a case did not finish (seed {seed}, case {cases}, kept in {dir})");

        output.WriteLine($"{cases} cases, worst CPU {worst.Cpu.TotalMilliseconds:0} ms, worst allocation {worst.Allocated / (1024 * 1024)} MB");
        Assert.True(failure is null, failure);
        Assert.True(cases >= 20, $"only {cases} cases ran (seed {seed})");
    }

    /// <summary>One file through <c>validate</c> and the loader; the problem, or null when it behaved.</summary>
    private static string? RunCase(string file, out ThreadUsage used)
    {
        var start = ThreadUsage.Now();
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code;
        WorkflowLoadResult loaded;
        try
        {
            code = ValidateCommand.RunAsync([file], stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
            loaded = new WorkflowLoader(CliCatalog.Default).LoadFiles([file]);
        }
        catch (Exception e)
        {
            used = ThreadUsage.Now().Since(start);
            return $"threw {e.GetType().Name}: {e.Message}";
        }

        used = ThreadUsage.Now().Since(start);
        if (used.Cpu > MaxCpu)
            return $"took {used.Cpu.TotalMilliseconds:0} ms of CPU (limit {MaxCpu.TotalMilliseconds:0})";
        if (used.Allocated > MaxAllocated)
            return $"allocated {used.Allocated / (1024 * 1024)} MB (limit {MaxAllocated / (1024 * 1024)})";
        if (code is not (0 or 1 or 2))
            return $"exit code {code}";
        var lines = (stdout.ToString() + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.FirstOrDefault(l => !Expected().IsMatch(l)) is { } odd)
            return $"printed a line that is neither a diagnostic nor ok: '{odd[..Math.Min(odd.Length, 300)]}'";
        if (code == 2 && lines.Length != 1)
            return $"exit code 2 with {lines.Length} lines instead of one";
        if (loaded.Workflows.Count > 0 && code != 0)
            return $"validate exited {code} but the loader loaded the workflow";
        return null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [GeneratedRegex(@"^(ok: |virtflow validate: cannot read |.+:\d+:\d+: (error|warning): )", RegexOptions.Singleline)]
    private static partial Regex Expected();
}
