using System.Diagnostics;
using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

public class When_code_tries_to_escape_the_sandbox
{
    [Fact]
    public void An_endless_loop_times_out()
    {
        using var evaluator = new JintExpressionEvaluator(new JintExpressionOptions { Timeout = TimeSpan.FromMilliseconds(200), MaxStatements = 0 });
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("while (true) {}", Scope("spin")));
        Assert.StartsWith("step 'spin': script 'while (true) {}' failed: exceeded its time limit of 200ms", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void An_endless_loop_with_the_default_limits_is_stopped()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("(() => { for (;;) {} })()", Scope()));
        Assert.Matches("exceeded its time limit|statements", e.Message);
    }

    [Fact]
    public void The_statement_limit_stops_a_long_loop()
    {
        using var evaluator = new JintExpressionEvaluator(new JintExpressionOptions { MaxStatements = 1000, Timeout = TimeSpan.FromSeconds(30) });
        var e = Assert.Throws<ExpressionException>(() => evaluator.RunScript("let i = 0; while (true) { i++; }", Scope()));
        Assert.Contains("ran more than 1000 statements", e.Message);
    }

    [Fact]
    public void Deep_recursion_is_stopped()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("function f(n) { return f(n + 1); }\nreturn f(0);", Scope()));
        Assert.Contains("exceeded the maximum call depth of 64", e.Message);
    }

    [Theory]
    [InlineData("let s = 'x'; for (let i = 0; i < 40; i++) { s = s + s; } return s.length;")]
    [InlineData("return JSON.stringify(new Array(1e6).fill('abcdefgh')).length;")]
    public void A_huge_allocation_is_stopped(string script)
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript(script, Scope()));
        Assert.Contains("used more than 16 MB of memory", e.Message);
    }

    [Fact]
    public void The_evaluator_works_again_after_a_limit_was_hit()
    {
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("function f() { return f(); } return f();", Scope()));
        Assert.Equal(4, Evaluator.Evaluate("inputs.count + 1", Scope())!.GetValue<long>());
    }

    [Theory]
    [InlineData("typeof System")]
    [InlineData("typeof importNamespace")]
    [InlineData("typeof require")]
    [InlineData("typeof process")]
    [InlineData("typeof fetch")]
    [InlineData("typeof XMLHttpRequest")]
    [InlineData("typeof setTimeout")]
    [InlineData("typeof Temporal")]
    [InlineData("typeof ShadowRealm")]
    [InlineData("typeof clr")]
    public void No_host_object_is_reachable(string expression)
    {
        Assert.Equal("undefined", Evaluator.Evaluate(expression, Scope())!.GetValue<string>());
    }

    [Theory]
    [InlineData("eval('1 + 1')")]
    [InlineData("new Function('return 1')()")]
    [InlineData("(() => {}).constructor('return 1')()")]
    public void Code_cannot_be_compiled_from_strings(string expression)
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate(expression, Scope()));
        Assert.Contains("String compilation has been disabled", e.Message);
    }

    [Fact]
    public void The_CLR_is_not_reachable_through_objects()
    {
        Assert.Equal("undefined", Evaluator.Evaluate("typeof inputs.GetType", Scope())!.GetValue<string>());
        Assert.Equal("undefined", Evaluator.Evaluate("typeof duration.GetType", Scope())!.GetValue<string>());
    }

    [Fact]
    public void Built_ins_cannot_be_changed_for_the_next_evaluation()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("Array.prototype.map = function () { return 'pwned'; };", Scope()));
        Assert.Contains("read only", e.Message);
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("JSON.stringify = () => 'x';", Scope()));
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("Object.getPrototypeOf([][Symbol.iterator]()).next = null;", Scope()));
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("globalThis.shared = 1;", Scope()));
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("duration = null;", Scope()));
        Assert.Equal("[\"VDA\",\"VDB\"]", Evaluator.Evaluate("inputs.disks.map(d => d.toUpperCase())", Scope())!.ToJsonString());
    }

    [Fact]
    public void Sloppy_mode_tricks_are_refused()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("leaked = 1;", Scope()));
        Assert.Contains("leaked is not defined", e.Message);
        Assert.Throws<ExpressionException>(() => Evaluator.RunScript("with (inputs) { vm }", Scope()));
    }
}
