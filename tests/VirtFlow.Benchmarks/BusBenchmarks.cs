using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Hosting.Messaging;
using VirtFlow.Testing;

namespace VirtFlow.Benchmarks;

/// <summary>
/// What one step's messages cost on the bus, without QEMU or the engine: a burst of <c>--burst</c> messages (a step's
/// job events, then its command result) published on VirtFlow's MassTransit set-up (RabbitMQ with publisher confirms,
/// persistent messages, a durable queue; and the in-memory bus), either one at a time, each publish awaited before the
/// next (as the worker's event sink did), or all started at once and then awaited. Measured: until the last one is
/// confirmed, and until the last one is consumed on the other side; the consumed order is checked.
/// Options: <c>--reps N</c> (200), <c>--burst N</c> (6).
/// </summary>
public static class BusBenchmarks
{
    /// <summary>The probe message: its place in the burst.</summary>
    public sealed record BusProbe(int Burst, int Index);

    private sealed class Received
    {
        public ConcurrentDictionary<(int Burst, int Index), long> At { get; } = new();

        public ConcurrentQueue<(int Burst, int Index)> Order { get; } = new();
    }

    private sealed class ProbeConsumer(Received received) : IConsumer<BusProbe>
    {
        public Task Consume(ConsumeContext<BusProbe> context)
        {
            var key = (context.Message.Burst, context.Message.Index);
            received.At[key] = Stopwatch.GetTimestamp();
            received.Order.Enqueue(key);
            return Task.CompletedTask;
        }
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct)
    {
        var reps = VmBench.IntOption(args, "--reps", 200);
        var burst = VmBench.IntOption(args, "--burst", 6);
        await output.WriteLineAsync("# bus: a step's messages on the bus, one confirm at a time vs pipelined");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} CPU(s); load average at start {VmBench.LoadAverage()}; bursts of {burst} messages, {reps} per row, rows interleaved.");
        await output.WriteLineAsync();
        await using var rabbit = await RabbitMqServer.StartAsync();
        var table = new MarkdownTable("bus", "publishing", "n", "last confirmed: median ms", "p99", "last consumed: median ms", "p99", "bursts out of order");
        foreach (var (name, transport) in new[] { ("in-memory", BusTransport.InMemory), ("RabbitMQ", BusTransport.RabbitMq(rabbit.AmqpUri)) })
        {
            var received = new Received();
            var services = new ServiceCollection();
            services.AddSingleton(received);
            services.AddMassTransit(x =>
            {
                x.AddConsumer<ProbeConsumer>();
                VirtFlowBus.UseTransport(x, transport, (context, cfg) => cfg.ReceiveEndpoint("virtflow-bench-bus", e =>
                {
                    e.ConcurrentMessageLimit = 1; // in order, as it arrives
                    e.ConfigureConsumer<ProbeConsumer>(context);
                }));
            });
            await using var provider = services.BuildServiceProvider();
            var bus = provider.GetRequiredService<IBusControl>();
            await bus.StartAsync(ct);
            try
            {
                var confirmed = new[] { new List<double>(), new List<double>() };
                var consumed = new[] { new List<double>(), new List<double>() };
                var disordered = new int[2];
                var id = 0;
                for (var rep = -10; rep < reps; rep++)
                {
                    for (var mode = 0; mode < 2; mode++)
                    {
                        var b = ++id;
                        var start = Stopwatch.GetTimestamp();
                        if (mode == 0)
                        {
                            for (var i = 0; i < burst; i++) await bus.Publish(new BusProbe(b, i), ct);
                        }
                        else
                        {
                            var calls = new Task[burst];
                            for (var i = 0; i < burst; i++) calls[i] = bus.Publish(new BusProbe(b, i), ct);
                            await Task.WhenAll(calls);
                        }
                        var confirmedAt = Stopwatch.GetTimestamp();
                        while (!received.At.ContainsKey((b, burst - 1))) await Task.Delay(TimeSpan.FromMilliseconds(0.2), ct);
                        while (received.At.Count(k => k.Key.Burst == b) < burst) await Task.Delay(TimeSpan.FromMilliseconds(0.2), ct);
                        if (rep < 0) continue;
                        confirmed[mode].Add(Stats.Micros(start, confirmedAt) / 1000);
                        consumed[mode].Add(Stats.Micros(start, received.At[(b, burst - 1)]) / 1000);
                        var order = received.Order.Where(k => k.Burst == b).Select(k => k.Index).ToList();
                        if (!order.SequenceEqual(Enumerable.Range(0, burst))) disordered[mode]++;
                    }
                }
                for (var mode = 0; mode < 2; mode++)
                {
                    var c = Stats.From(confirmed[mode]);
                    var d = Stats.From(consumed[mode]);
                    table.Add(name, mode == 0 ? "one at a time" : "all at once", c.Count, c.Median, c.P99, d.Median, d.P99, disordered[mode]);
                }
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None);
            }
        }
        await output.WriteLineAsync(table.ToString());
        return 0;
    }
}
