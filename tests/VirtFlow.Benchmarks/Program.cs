using VirtFlow.Benchmarks;

// Plain benchmark harness: `dotnet run -c Release --project tests/VirtFlow.Benchmarks -- SUITE [options]`.
// Each suite is a RunAsync(args, output, ct) that prints markdown tables; add yours to this map.
var suites = new Dictionary<string, Func<string[], TextWriter, CancellationToken, Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["qmp"] = QmpBenchmarks.RunAsync,
    ["engine"] = EngineBenchmarks.RunAsync,
};

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
return await suite(args[1..], Console.Out, cts.Token);
