using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Benchmarks;

/// <summary>Stopwatch totals of what a VirtFlow engine spends outside its own code: store calls and expression evaluation.</summary>
internal sealed class EngineTimings
{
    public long CommitTicks;
    public long Commits;
    public long JournalEntries;
    public long StateChars;
    public long StateSamples;
    public long ReadTicks;
    public long Reads;
    public long OtherStoreTicks;
    public long OtherStoreCalls;
    public long ExpressionTicks;
    public long Expressions;

    /// <summary>The state documents of the first commits after <see cref="Reset"/> (one instance's, with one caller), for <see cref="EngineStateCost"/>.</summary>
    public List<JsonObject> SampleStates { get; } = [];

    public void Reset()
    {
        lock (SampleStates) SampleStates.Clear();
        CommitTicks = Commits = JournalEntries = StateChars = StateSamples = 0;
        ReadTicks = Reads = OtherStoreTicks = OtherStoreCalls = ExpressionTicks = Expressions = 0;
    }

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>A store that times every call (commits, instance reads, the rest) into <see cref="EngineTimings"/>.</summary>
internal sealed class EngineTimingStore(IWorkflowStore inner, EngineTimings t) : IWorkflowStore
{
    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public async Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        lock (t.SampleStates)
        {
            if (t.SampleStates.Count < 11) t.SampleStates.Add((JsonObject)commit.Instance.State.DeepClone());
        }
        if (Interlocked.Read(ref t.StateSamples) < 200)
        {
            // size of the state document written per commit (sampled; not timed)
            Interlocked.Add(ref t.StateChars, commit.Instance.State.ToJsonString().Length);
            Interlocked.Increment(ref t.StateSamples);
        }
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.CommitAsync(commit, ct);
        }
        finally
        {
            Interlocked.Add(ref t.CommitTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref t.Commits);
            Interlocked.Add(ref t.JournalEntries, commit.Journal.Count);
        }
    }

    public async Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.GetInstanceVersionAsync(instanceId, ct);
        }
        finally
        {
            Interlocked.Add(ref t.OtherStoreTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref t.OtherStoreCalls);
        }
    }

    public async Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.GetInstanceAsync(instanceId, ct);
        }
        finally
        {
            Interlocked.Add(ref t.ReadTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref t.Reads);
        }
    }

    public Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default) => Other(() => inner.ListInstancesAsync(query, ct));
    public Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default) => Other(() => inner.FindOrphanedInstancesAsync(now, limit, ct));
    public Task<IReadOnlyList<Bookmark>> GetBookmarksAsync(string instanceId, CancellationToken ct = default) => Other(() => inner.GetBookmarksAsync(instanceId, ct));
    public Task<IReadOnlyList<Bookmark>> FindBookmarksByKeyAsync(string key, CancellationToken ct = default) => Other(() => inner.FindBookmarksByKeyAsync(key, ct));
    public Task<IReadOnlyList<Bookmark>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct = default) => Other(() => inner.FindDueTimersAsync(now, limit, ct));
    public Task<DateTimeOffset?> GetNextTimerDueAsync(CancellationToken ct = default) => Other(() => inner.GetNextTimerDueAsync(ct));
    public Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default) => Other(() => inner.TryAddInboxEventAsync(inboxEvent, ct));
    public Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default) => Other(() => inner.FindInboxEventsAsync(key, ct));
    public Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default) => Other(() => inner.FindMatchableInboxEventsAsync(limit, ct));
    public Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default) => Other(() => inner.PurgeInboxAsync(now, olderThan, ct));
    public Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default) => Other(() => inner.GetPendingOutboxAsync(limit, ct));
    public Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default) => Other(async () => { await inner.MarkOutboxDispatchedAsync(messageId, at, ct); return 0; });
    public Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default) => Other(async () => { await inner.MarkOutboxFailedAsync(messageId, error, ct); return 0; });
    public Task<IReadOnlyList<JournalEntry>> GetJournalAsync(string instanceId, CancellationToken ct = default) => Other(() => inner.GetJournalAsync(instanceId, ct));
    public Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default) => Other(async () => { await inner.SaveDefinitionAsync(definition, ct); return 0; });
    public Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default) => Other(() => inner.GetDefinitionAsync(hash, ct));
    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> Other<T>(Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            Interlocked.Add(ref t.OtherStoreTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref t.OtherStoreCalls);
        }
    }
}

/// <summary>An evaluator that times every call into <see cref="EngineTimings"/>.</summary>
internal sealed class EngineTimingEvaluator(IExpressionEvaluator inner, EngineTimings t) : IExpressionEvaluator
{
    public JsonNode? Evaluate(string expression, ExpressionScope scope) => Time(() => inner.Evaluate(expression, scope));
    public JsonNode? EvaluateTemplate(JsonNode? template, ExpressionScope scope) => Time(() => inner.EvaluateTemplate(template, scope));
    public bool EvaluateCondition(string template, ExpressionScope scope) => Time(() => inner.EvaluateCondition(template, scope));
    public JsonNode? RunScript(string script, ExpressionScope scope) => Time(() => inner.RunScript(script, scope));
    public IReadOnlyList<ExpressionSyntaxError> CheckSyntax(string code, bool isScript) => inner.CheckSyntax(code, isScript);

    private T Time<T>(Func<T> call)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return call();
        }
        finally
        {
            Interlocked.Add(ref t.ExpressionTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref t.Expressions);
        }
    }
}

/// <summary>
/// The engine's state-document work of one instance, timed in isolation on the documents it committed: the
/// engine writes its whole state as a JSON DOM (<c>StateJson.Write</c>, source-generated) at every commit and
/// reads it back once per run. Uses the runtime's internals (InternalsVisibleTo).
/// </summary>
internal static class EngineStateCost
{
    /// <summary>µs per instance: writing every committed state, and reading the first one.</summary>
    public static (double WriteUs, double ReadUs) Measure(IReadOnlyList<JsonObject> states, int reps = 300)
    {
        var parsed = states.Select(Engine.Runtime.State.StateJson.Read).ToList();
        var write = parsed.Sum(state => Time(() => Engine.Runtime.State.StateJson.Write(state), reps));
        var read = states.Count == 0 ? 0 : Time(() => Engine.Runtime.State.StateJson.Read(states[0]), reps);
        return (write, read);
    }

    /// <summary>µs per call: the best of 5 batches (the machine is shared).</summary>
    private static double Time(Action action, int reps)
    {
        for (var i = 0; i < 20; i++) action();
        var best = double.MaxValue;
        for (var batch = 0; batch < 5; batch++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < reps / 5; i++) action();
            best = Math.Min(best, Stats.Micros(start, Stopwatch.GetTimestamp()) / (reps / 5));
        }
        return best;
    }
}
