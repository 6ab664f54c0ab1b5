using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

public class When_evaluating_expressions
{
    [Theory]
    [InlineData("inputs.vm", "\"web-1\"")]
    [InlineData("inputs.count + 1", "4")]
    [InlineData("inputs.ratio * 2", "3")]
    [InlineData("inputs.ratio / 2", "0.75")]
    [InlineData("inputs.force", "false")]
    [InlineData("inputs.disks.map(d => d.toUpperCase())", "[\"VDA\",\"VDB\"]")]
    [InlineData("({ a: 1, b: [true, null] })", "{\"a\":1,\"b\":[true,null]}")]
    [InlineData("inputs.nothing", "null")]
    [InlineData("undefined", "null")]
    [InlineData("steps.copy.outputs.job", "\"job-1\"")]
    [InlineData("instance.workflow + '/' + instance.id", "\"migrate/i-1\"")]
    [InlineData("vars.counter", "1")]
    [InlineData("0.1 + 0.2 > 0.3", "true")]
    [InlineData("1 / 0", "null")]
    [InlineData("inputs.spec.tags.length", "1")]
    public void Values_keep_their_JSON_type(string expression, string expected)
    {
        var result = Evaluator.Evaluate(expression, Scope());
        Assert.Equal(expected, result?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Integral_numbers_come_back_as_integers()
    {
        var result = Evaluator.Evaluate("inputs.count * 2", Scope());
        Assert.Equal(6, result!.GetValue<long>());
    }

    [Fact]
    public void Locals_are_visible_by_name()
    {
        var scope = Scope(locals: new JsonObject { ["disk"] = "vdb", ["diskIndex"] = 1, ["index"] = 1 });
        var result = Evaluator.Evaluate("disk + ':' + diskIndex + ':' + index", scope);
        Assert.Equal("vdb:1:1", result!.GetValue<string>());
    }

    [Fact]
    public void Locals_of_one_evaluation_do_not_leak_into_the_next()
    {
        Evaluator.Evaluate("item", Scope(locals: new JsonObject { ["item"] = "x" }));
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("item", Scope()));
        Assert.Contains("item is not defined", e.Message);
    }

    [Fact]
    public void Changing_the_scope_in_an_expression_does_not_change_the_callers_json()
    {
        var scope = Scope();
        Evaluator.Evaluate("inputs.vm = 'other'", scope);
        Assert.Equal("web-1", scope.Inputs["vm"]!.GetValue<string>());
    }

    [Fact]
    public void Helper_duration_gives_milliseconds()
    {
        Assert.Equal(5_400_000, Evaluator.Evaluate("duration('1h30m')", Scope())!.GetValue<long>());
        Assert.Equal(500, Evaluator.Evaluate("duration('500ms')", Scope())!.GetValue<long>());
        Assert.Equal(1_800_000, Evaluator.Evaluate("duration('PT30M')", Scope())!.GetValue<long>());
    }

    [Fact]
    public void Helper_duration_with_a_bad_text_names_the_problem()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("duration('soon')", Scope()));
        Assert.Contains("duration('soon')", e.Message);
        Assert.Contains("TypeError", e.Message);
    }

    [Fact]
    public void Helper_now_uses_the_configured_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
        using var evaluator = new JintExpressionEvaluator(new JintExpressionOptions { TimeProvider = clock });
        Assert.Equal("2030-01-02T03:04:05.678Z", evaluator.Evaluate("now()", Scope())!.GetValue<string>());
    }

    [Fact]
    public void Helper_json_writes_JSON_text()
    {
        Assert.Equal("{\"size\":10,\"tags\":[\"a\"]}", Evaluator.Evaluate("json(inputs.spec)", Scope())!.GetValue<string>());
        Assert.Equal("null", Evaluator.Evaluate("json(undefined)", Scope())!.GetValue<string>());
    }

    [Fact]
    public void Conditions_are_javascript_truthiness()
    {
        Assert.True(Evaluator.EvaluateCondition("${ inputs.count > 2 }", Scope()));
        Assert.False(Evaluator.EvaluateCondition("${ inputs.force }", Scope()));
        Assert.False(Evaluator.EvaluateCondition("${ '' }", Scope()));
        Assert.True(Evaluator.EvaluateCondition("${ [] }", Scope()));
        Assert.False(Evaluator.EvaluateCondition("${ 0 }", Scope()));
        Assert.False(Evaluator.EvaluateCondition("${ null }", Scope()));
    }

    [Fact]
    public void A_condition_without_braces_is_a_bare_expression()
    {
        Assert.False(Evaluator.EvaluateCondition("inputs.force", Scope()));
        Assert.True(Evaluator.EvaluateCondition("inputs.count === 3", Scope()));
        Assert.True(Evaluator.EvaluateCondition("true", Scope()));
        Assert.False(Evaluator.EvaluateCondition("false", Scope()));
        Assert.False(Evaluator.EvaluateCondition("", Scope()));
    }

    [Fact]
    public void A_condition_mixing_text_is_true_when_not_empty()
    {
        Assert.True(Evaluator.EvaluateCondition("vm ${ inputs.vm }", Scope()));
    }

    [Fact]
    public void Syntax_is_checked_with_positions()
    {
        Assert.Empty(Evaluator.CheckSyntax("inputs.disks.map(d => d.name)", isScript: false));
        var error = Assert.Single(Evaluator.CheckSyntax("inputs.disks.map(", isScript: false));
        Assert.Equal(1, error.Line);
        Assert.Equal(18, error.Column);
        var scriptError = Assert.Single(Evaluator.CheckSyntax("let a = 1;\nlet b = ;\nreturn a;", isScript: true));
        Assert.Equal(2, scriptError.Line);
        Assert.Equal(9, scriptError.Column);
        Assert.Empty(Evaluator.CheckSyntax("const x = 1;\nreturn x;", isScript: true));
    }

    [Fact]
    public void An_expression_cannot_smuggle_statements()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("1); vars.counter = 2; (1", Scope()));
        Assert.Contains("syntax error", e.Message);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
