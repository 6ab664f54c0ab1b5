using System.Diagnostics;
using System.Text.RegularExpressions;
using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

/// <summary>
/// The attacks of issue 12 on the script sandbox: blocking natives, promise jobs leaking into the next evaluation,
/// single calls that allocate far past the memory limit, and evaluations that outlive their time limit. Each call
/// is bounded here (<see cref="Bounded"/>), so a sandbox that hangs fails the test instead of hanging it.
/// </summary>
[Collection(AllocationCollection.Name)]
public class When_a_script_attacks_the_sandbox
{
    /// <summary>How late past its time limit an evaluation may end: the watchdog's margin plus scheduling slack on a busy machine.</summary>
    private static readonly TimeSpan Late = new JintExpressionOptions().WatchdogMargin + TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("Atomics")]
    [InlineData("SharedArrayBuffer")]
    [InlineData("WeakRef")]
    [InlineData("FinalizationRegistry")]
    [InlineData("ArrayBuffer")]
    [InlineData("DataView")]
    [InlineData("Int32Array")]
    [InlineData("Uint8Array")]
    [InlineData("Float64Array")]
    public void Blocking_and_raw_memory_built_ins_are_absent(string name)
    {
        Assert.Equal("undefined", Evaluator.Evaluate($"typeof {name}", Scope())!.GetValue<string>());
        Assert.Equal("undefined", Evaluator.Evaluate($"typeof globalThis['{name}']", Scope())!.GetValue<string>());
    }

    [Fact]
    public async Task Atomics_wait_on_a_shared_buffer_cannot_block()
    {
        var e = await Fails(() => Evaluator.RunScript("const a = new Int32Array(new SharedArrayBuffer(4));\nAtomics.wait(a, 0, 0);\nreturn 1;", Scope("hang")));
        Assert.StartsWith("step 'hang': script ", e.Message);
        Assert.Contains("is not defined", e.Message);
    }

    [Fact]
    public async Task A_promise_job_queued_by_one_evaluation_never_runs_in_the_next()
    {
        using var evaluator = new JintExpressionEvaluator();
        var first = Bounded(() => evaluator.RunScript("Promise.resolve().then(() => { throw new Error('late'); });\nPromise.resolve().then(() => { for (;;) {} });\nreturn 1;", Scope("queue")));
        Assert.Equal(1, (await first.WaitAsync(TimeSpan.FromSeconds(30)))!.GetValue<long>());

        var watch = Stopwatch.StartNew();
        var next = await Bounded(() => evaluator.Evaluate("inputs.count + 1", Scope("innocent")));
        Assert.Equal(4, next!.GetValue<long>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the innocent evaluation took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_async_function_left_pending_does_not_resume_later()
    {
        using var evaluator = new JintExpressionEvaluator();
        var scope = Scope("queue");
        await Bounded(() => evaluator.RunScript("(async () => { await null; vars.leaked = 'yes'; })();\nvars.done = true;", scope));
        Assert.False(scope.Variables.ContainsKey("leaked"));

        var next = Scope("innocent");
        await Bounded(() => evaluator.RunScript("vars.counter = vars.counter + 1;", next));
        Assert.False(next.Variables.ContainsKey("leaked"));
    }

    [Theory]
    [InlineData("const a = 'a'.repeat(2**28); const b = 'a'.repeat(2**28); const c = 'a'.repeat(2**28); const d = 'a'.repeat(2**28); return a.length + b.length + c.length + d.length;")]
    [InlineData("return ['a'.repeat(2**28), 'a'.repeat(2**28), 'a'.repeat(2**28), 'a'.repeat(2**28)].length;")]
    [InlineData("return 'a'.padStart(2**28).length;")]
    [InlineData("return 'a'.padEnd(2**28, 'xyz').length;")]
    [InlineData("const s = 'a'.repeat(2**20); return s.concat(...new Array(500).fill(s)).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return new Array(500).fill(s).join('').length;")]
    [InlineData("const s = 'a'.repeat(2**20); return String(new Array(500).fill(s)).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return `${new Array(500).fill(s)}`.length;")]
    [InlineData("const s = 'a'.repeat(2**20); return new Array(500).fill(s).toLocaleString().length;")]
    [InlineData("const s = 'a'.repeat(2**20); return JSON.stringify(new Array(500).fill(s)).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return json(new Array(500).fill(s)).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return JSON.stringify(new Array(500).fill(s), ['x']).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return new Array(500).fill(s);")]
    [InlineData("const s = 'a'.repeat(2**20); return 'b'.repeat(5000).replaceAll('b', s).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return 'b'.repeat(5000).replace(/b/g, s).length;")]
    [InlineData("const s = 'a'.repeat(2**20); return /b/g[Symbol.replace]('b'.repeat(5000), s).length;")]
    [InlineData("const s = 'a'.repeat(2**12); return 'b'.repeat(5000).replace(/b/g, \"$'$'$'$'\").length;")]
    [InlineData("return new Array(2**28).fill(0).length;")]
    [InlineData("return Array.from({ length: 2**28 }).length;")]
    [InlineData("const a = []; a.length = 2**28; return a.fill(1).length;")]
    public async Task One_call_cannot_allocate_past_the_memory_limit(string script)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Fails(() => Evaluator.RunScript(script, Scope("grow")));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.StartsWith("step 'grow': script ", e.Message);
        // Refused by the memory limit; on a loaded machine the time limit may come first, which is as good (nothing grew).
        Assert.True(Regex.IsMatch(e.Message, "used more than 16 MB of memory|exceeded its time limit of 1s"), e.Message);
        Assert.True(allocated < 200L << 20, $"the process allocated {allocated >> 20} MB during the evaluation");
    }

    [Fact]
    public async Task A_result_repeating_a_big_input_cannot_be_converted_past_the_memory_limit()
    {
        // Code without calls (run without the watchdog thread) whose value refers to one 1 MB input 500 times.
        var scope = Scope("grow");
        scope.Inputs["big"] = new string('a', 1 << 20);
        var expression = "[" + string.Join(",", Enumerable.Repeat("inputs.big", 500)) + "]";

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var e = await Fails(() => Evaluator.Evaluate(expression, scope));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(Regex.IsMatch(e.Message, "used more than 16 MB of memory|exceeded its time limit of 1s"), e.Message);
        Assert.True(allocated < 200L << 20, $"the process allocated {allocated >> 20} MB during the evaluation");
        Assert.Equal("{\"a\":[1,\"x\",null,true]}", Evaluator.Evaluate("{ a: [1, 'x', null, true] }", Scope())!.ToJsonString());
    }

    [Theory]
    [InlineData("return 'ab'.repeat(3) + 'x'.padStart(3, '-') + 'y'.padEnd(2) + 'a'.concat('b', 1, null);", "ababab--xy ab1null")]
    [InlineData("return [1, null, 'a', undefined, [2, 3]].join('-') + '|' + String([1, [2]]) + '|' + [1.5, 2].toLocaleString();", "1--a--2,3|1,2|1.5,2")]
    [InlineData("return 'a-b-a'.replaceAll('a', '[$&]') + 'a-b'.replace(/(a)-(b)/, '$2$1$$') + 'aXa'.replace('X', () => 'y');", "[a]-b-[a]ba$aya")]
    [InlineData("return JSON.stringify({ b: [1, { c: 'x' }], a: 2 }, ['a', 'b']) + JSON.stringify([1], null, 2) + JSON.stringify({ d: new Date(0) }) + JSON.stringify(undefined);", "{\"a\":2,\"b\":[1,{}]}[\n  1\n]{\"d\":\"1970-01-01T00:00:00.000Z\"}undefined")]
    [InlineData("return JSON.stringify({ a: 1, b: 'x' }, (k, v) => typeof v === 'number' ? v * 2 : v);", "{\"a\":2,\"b\":\"x\"}")]
    public void The_bounded_built_ins_still_do_what_they_did(string script, string expected)
    {
        Assert.Equal(expected, Evaluator.RunScript(script, Scope())!.GetValue<string>());
    }

    [Theory]
    [InlineData("while (true) {}")]
    [InlineData("const t = Date.now(); while (Date.now() - t < 10000) {}")]
    [InlineData("let n = 0; const t = Date.now(); while (Date.now() - t < 10000) { n++; }")]
    public async Task A_busy_wait_ends_at_the_time_limit_with_that_reason(string script)
    {
        // No statement limit here: on an idle machine `while (true) {}` runs 20,000,000 statements in less than the 1 s,
        // and that limit would end it first (with its own reason). The time limit is what is tested.
        using var evaluator = new JintExpressionEvaluator(new JintExpressionOptions { MaxStatements = 0 });
        var watch = new Stopwatch();
        var e = await Fails(() => Timed(watch, evaluator, () => evaluator.RunScript(script, Scope("spin"))));

        Assert.StartsWith("step 'spin': script ", e.Message);
        Assert.True(e.Message.Contains("failed: exceeded its time limit of 1s", StringComparison.Ordinal), e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1) + Late, $"it ended after {watch.Elapsed}");
    }

    [Fact]
    public async Task An_endless_loop_under_the_default_limits_ends_by_the_statement_or_the_time_limit()
    {
        var watch = new Stopwatch();
        var e = await Fails(() => Timed(watch, Evaluator, () => Evaluator.RunScript("while (true) {}", Scope("spin"))));

        Assert.True(e.Message.Contains("ran more than 20000000 statements", StringComparison.Ordinal)
            || e.Message.Contains("exceeded its time limit of 1s", StringComparison.Ordinal), e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1) + Late, $"it ended after {watch.Elapsed}");
    }

    [Fact]
    public void Date_now_still_tells_the_time()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var now = Evaluator.Evaluate("Date.now()", Scope())!.GetValue<long>();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.InRange(now, before, after);
        Assert.True(Evaluator.Evaluate("Date.now() <= Date.now() && Date.now() === Math.floor(Date.now() / 1) && new Date(Date.now()).getTime() > 0", Scope())!.GetValue<bool>());
    }

    [Fact]
    public async Task A_long_native_call_is_cut_off_by_the_watchdog()
    {
        using var evaluator = new JintExpressionEvaluator(new JintExpressionOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        // One expression, all in native calls (no statement boundary for the engine's cooperative checks): 3000 scans of
        // 300 000 elements take seconds.
        var expression = "(a => [" + string.Join(",", Enumerable.Repeat("a.indexOf(1)", 3000)) + "].length)(new Array(300000).fill(0))";
        var watch = new Stopwatch();
        var e = await Fails(() => Timed(watch, evaluator, () => evaluator.Evaluate(expression, Scope("sort"))));

        Assert.True(e.Message.Contains("failed: exceeded its time limit of 300ms", StringComparison.Ordinal), e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(300) + Late, $"it ended after {watch.Elapsed}");
        Assert.Equal(4, evaluator.Evaluate("inputs.count + 1", Scope())!.GetValue<long>());
    }

    [Fact]
    public void Limits_are_checked_when_the_evaluator_is_made()
    {
        Assert.Throws<ArgumentException>(() => new JintExpressionEvaluator(new JintExpressionOptions { MemoryLimitBytes = 1024 }));
        Assert.Throws<ArgumentException>(() => new JintExpressionEvaluator(new JintExpressionOptions { MaxRecursionDepth = 0 }));
        Assert.Throws<ArgumentException>(() => new JintExpressionEvaluator(new JintExpressionOptions { Timeout = TimeSpan.Zero }));
    }

    /// <summary>Times <paramref name="evaluation"/> on an engine already made (making one is not an evaluation).</summary>
    private static void Timed(Stopwatch watch, JintExpressionEvaluator evaluator, Action evaluation)
    {
        evaluator.Evaluate("1", Scope());
        watch.Start();
        try
        {
            evaluation();
        }
        finally
        {
            watch.Stop();
        }
    }

    /// <summary>Runs <paramref name="evaluation"/> on its own thread and waits at most 30 s for it (a hang fails the test).</summary>
    private static async Task<System.Text.Json.Nodes.JsonNode?> Bounded(Func<System.Text.Json.Nodes.JsonNode?> evaluation)
    {
        var run = Task.Factory.StartNew(evaluation, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<ExpressionException> Fails(Action evaluation) =>
        await Assert.ThrowsAsync<ExpressionException>(() => Bounded(() => { evaluation(); return null; }));
}
