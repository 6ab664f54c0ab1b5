using VirtFlow.Benchmarks;
using VirtFlow.Testing;

// Plain benchmark harness: `dotnet run -c Release --project tests/VirtFlow.Benchmarks -- SUITE [options]`.
// Each suite is a RunAsync(args, output, ct) that prints markdown tables; add yours to this map.
var suites = new Dictionary<string, Func<string[], TextWriter, CancellationToken, Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["qmp"] = QmpBenchmarks.RunAsync,
    ["engine"] = EngineBenchmarks.RunAsync,
    ["pause"] = PauseBenchmarks.RunAsync,
    ["distributed"] = DistributedBenchmarks.RunAsync,
    ["bus"] = BusBenchmarks.RunAsync,
    ["api"] = ApiBenchmarks.RunAsync,
    ["foreach"] = ForEachBenchmarks.RunAsync,
    ["stream"] = StreamBenchmarks.RunAsync,
    ["schedules"] = ScheduleBenchmarks.RunAsync,
    // the stream benchmark's clients in their own process (started by `stream`, not by hand)
    ["stream-clients"] = StreamClientsProcess.RunChildAsync,
};
// Suites whose output is also saved as tests/VirtFlow.Benchmarks/results/SUITE.md (unless --no-save).
var saved = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "pause", "distributed", "bus", "api", "foreach", "stream", "schedules" };

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var suite))
{
    await Console.Error.WriteLineAsync($"usage: VirtFlow.Benchmarks <suite> [options]; suites: {string.Join(", ", suites.Keys)}");
    return 2;
}
var options = args[1..];
if (!saved.Contains(args[0]) || options.Contains("--no-save"))
    return await suite(options.Where(a => a != "--no-save").ToArray(), Console.Out, cts.Token);

var copy = new StringWriter();
var code = await suite(options, new TeeWriter(Console.Out, copy), cts.Token);
var dir = Path.Combine(TestDirs.RepoRoot, "tests", "VirtFlow.Benchmarks", "results");
Directory.CreateDirectory(dir);
// a suite's variant (foreach --shape fleet) is saved beside it, not over it
var shape = Array.IndexOf(options, "--shape") is var at and >= 0 && at + 1 < options.Length ? "-" + options[at + 1].ToLowerInvariant() : "";
var file = Path.Combine(dir, args[0].ToLowerInvariant() + shape + ".md");
await File.WriteAllTextAsync(file, copy.ToString().TrimEnd() + $"\n\nCommand: `VirtFlow.Benchmarks {string.Join(' ', args)}`.\n");
await Console.Error.WriteLineAsync($"saved {file}");
return code;

/// <summary>Writes to two writers (the console and the saved copy).</summary>
internal sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
{
    public override System.Text.Encoding Encoding => first.Encoding;

    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override Task WriteLineAsync(string? value)
    {
        first.WriteLine(value);
        first.Flush();
        second.WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        first.WriteLine();
        second.WriteLine();
        return Task.CompletedTask;
    }
}
