using System.Diagnostics;
using System.Globalization;

namespace VirtFlow.Benchmarks;

/// <summary>
/// The stream benchmark's clients in a process of their own (<c>stream --clients-process</c>), as real clients are: their
/// reads are then not queued behind the engine's work in the server's thread pool, and their garbage does not pause the
/// server. They still share the machine's CPUs. The child (<c>VirtFlow.Benchmarks stream-clients URL KEY N</c>) runs
/// <see cref="StreamReceiver"/>s and answers one line command at a time on its standard input: <c>start</c> (a row
/// begins), <c>reach SEQ</c> (wait until every client has the event SEQ, then send each StepCompleted receipt as
/// <c>r INSTANCE STEP STAMP</c>, then <c>dropped N</c>, <c>reads N BYTES</c> and <c>end</c>). Stamps are
/// <see cref="Stopwatch.GetTimestamp"/>: the machine's monotonic clock, the same in both processes.
/// </summary>
internal sealed class StreamClientsProcess : IAsyncDisposable
{
    private readonly Process _process;

    private StreamClientsProcess(Process process) => _process = process;

    public int Dropped { get; private set; }

    public (long Reads, long Bytes) Taken { get; private set; }

    /// <summary>Starts the child with <paramref name="clients"/> clients and returns once all are connected.</summary>
    public static async Task<StreamClientsProcess> StartAsync(Uri server, string key, int clients, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { typeof(StreamClientsProcess).Assembly.Location, "stream-clients", server.ToString(), key, clients.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("the stream clients' process did not start");
        var child = new StreamClientsProcess(process);
        var line = await process.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
        if (line != "connected") throw new InvalidOperationException($"the stream clients' process said '{line}' instead of 'connected'");
        return child;
    }

    public async Task StartRowAsync(CancellationToken ct)
    {
        await _process.StandardInput.WriteLineAsync("start".AsMemory(), ct);
        await _process.StandardInput.FlushAsync(ct);
        if (await _process.StandardOutput.ReadLineAsync(ct) != "ok") throw new InvalidOperationException("the stream clients' process did not start a row");
    }

    /// <summary>Waits until every client has event <paramref name="last"/>; the row's receipts.</summary>
    public async Task<List<((string Instance, string Step) Step, long At)>> TakeRowAsync(long last, CancellationToken ct)
    {
        await _process.StandardInput.WriteLineAsync($"reach {last.ToString(CultureInfo.InvariantCulture)}".AsMemory(), ct);
        await _process.StandardInput.FlushAsync(ct);
        var receipts = new List<((string, string), long)>();
        while (await _process.StandardOutput.ReadLineAsync(ct) is { } line && line != "end")
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "r":
                    receipts.Add(((parts[1], parts[2]), long.Parse(parts[3], CultureInfo.InvariantCulture)));
                    break;
                case "dropped":
                    Dropped = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "reads":
                    Taken = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
                    break;
            }
        }
        return receipts;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    /// <summary>The child: <c>stream-clients URL KEY N</c>.</summary>
    public static async Task<int> RunChildAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var server = new Uri(args[0]);
        var key = args[1];
        var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receivers = Enumerable.Range(0, clients).Select(_ => new StreamReceiver(8 << 20)).ToList();
        using var connected = new CountdownEvent(clients);
        var readers = receivers.Select(r => StreamBenchmarks.ReceiveAsync(server, key, r, connected, stop.Token)).ToList();
        connected.Wait(ct);
        await output.WriteLineAsync("connected");
        await output.FlushAsync(ct);
        var input = Console.In;
        while (await input.ReadLineAsync(ct) is { } command)
        {
            if (command == "start")
            {
                foreach (var r in receivers) r.StartRow();
                await output.WriteLineAsync("ok");
            }
            else if (command.StartsWith("reach ", StringComparison.Ordinal))
            {
                var last = long.Parse(command["reach ".Length..], CultureInfo.InvariantCulture);
                try
                {
                    await Task.WhenAll(receivers.Select(r => r.ReachedAsync(last))).WaitAsync(TimeSpan.FromSeconds(30), ct);
                }
                catch (TimeoutException)
                {
                    // fewer receipts than expected: the parent counts them
                }
                foreach (var r in receivers)
                {
                    foreach (var ((instance, step), at) in r.TakeRow())
                        await output.WriteLineAsync($"r {instance} {step} {at.ToString(CultureInfo.InvariantCulture)}");
                }
                await output.WriteLineAsync($"dropped {receivers.Count(r => r.Dropped).ToString(CultureInfo.InvariantCulture)}");
                await output.WriteLineAsync(FormattableString.Invariant($"reads {receivers.Sum(r => r.Taken.Reads)} {receivers.Sum(r => r.Taken.Bytes)}"));
                await output.WriteLineAsync("end");
            }
            await output.FlushAsync(ct);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));
        return 0;
    }
}
