using System.Collections.Concurrent;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>What the test activities record: executions per name, concurrency, abandonments, command ids; and gates they wait on.</summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, int> _current = new();
    private readonly ConcurrentDictionary<string, int> _max = new();

    public ConcurrentQueue<string> Abandoned { get; } = new();
    public ConcurrentQueue<string> CommandIds { get; } = new();
    public ConcurrentQueue<string> Order { get; } = new();

    /// <summary>What <c>test.block</c> waits for (never completed: a "crash" in the middle of a step).</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Signalled when a <c>test.block</c> step is running.</summary>
    public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count(string name) => _counts.GetValueOrDefault(name);

    public int MaxConcurrent(string group) => _max.GetValueOrDefault(group);

    public int Enter(string name, string group)
    {
        Order.Enqueue(name);
        var n = _counts.AddOrUpdate(name, 1, (_, c) => c + 1);
        var now = _current.AddOrUpdate(group, 1, (_, c) => c + 1);
        _max.AddOrUpdate(group, now, (_, m) => Math.Max(m, now));
        return n;
    }

    public void Exit(string group) => _current.AddOrUpdate(group, 0, (_, c) => c - 1);
}
