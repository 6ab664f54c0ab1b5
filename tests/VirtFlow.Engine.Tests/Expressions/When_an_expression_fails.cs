using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

public class When_an_expression_fails
{
    [Fact]
    public void A_syntax_error_names_the_step_and_the_expression()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("inputs.disks.map(", Scope("mirror")));
        Assert.Equal("step 'mirror': expression 'inputs.disks.map(' failed: syntax error at column 18: Unexpected end of input", e.Message);
        Assert.Equal("inputs.disks.map(", e.Expression);
        Assert.Equal("mirror", e.StepId);
    }

    [Fact]
    public void A_runtime_error_gives_the_javascript_error()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.EvaluateTemplate(System.Text.Json.Nodes.JsonValue.Create("${ inputs.missing.name }"), Scope("copy")));
        Assert.StartsWith("step 'copy': expression 'inputs.missing.name' failed: TypeError: ", e.Message);
    }

    [Fact]
    public void A_thrown_error_keeps_its_message()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("(() => { throw new RangeError('too big'); })()", Scope(null)));
        Assert.Equal("expression '(() => { throw new RangeError('too big'); })()' failed: RangeError: too big", e.Message);
    }

    [Fact]
    public void A_long_expression_is_shortened_in_the_message()
    {
        var code = "inputs.vm + " + string.Join(" + ", Enumerable.Repeat("'abcdefghij'", 20)) + " + nope";
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate(code, Scope()));
        Assert.Contains("…' failed: ReferenceError: nope is not defined", e.Message);
        Assert.Equal(code, e.Expression);
    }

    [Fact]
    public void A_result_that_is_not_JSON_is_refused_clearly()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.Evaluate("10n", Scope()));
        Assert.Contains("failed: its value cannot be turned into JSON", e.Message);
    }
}
