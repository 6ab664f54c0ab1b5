using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

public class When_running_scripts
{
    [Fact]
    public void Return_gives_the_result()
    {
        var result = Evaluator.RunScript("const n = inputs.count;\nif (n > 2) { return 'many'; }\nreturn 'few';", Scope());
        Assert.Equal("many", result!.GetValue<string>());
    }

    [Fact]
    public void The_last_expression_is_the_result_without_return()
    {
        Assert.Equal(6, Evaluator.RunScript("const a = 2;\na * inputs.count", Scope())!.GetValue<long>());
    }

    [Fact]
    public void Assignments_to_vars_are_written_back()
    {
        var scope = Scope();
        Evaluator.RunScript("vars.counter = vars.counter + 1; vars.added = { list: [1, 2] }; delete vars.keep;", scope);
        Assert.Equal(2, scope.Variables["counter"]!.GetValue<long>());
        Assert.Equal("""{"list":[1,2]}""", scope.Variables["added"]!.ToJsonString());
        Assert.False(scope.Variables.ContainsKey("keep"));
    }

    [Fact]
    public void Replacing_vars_is_written_back_too()
    {
        var scope = Scope();
        Evaluator.RunScript("vars = { fresh: true };", scope);
        Assert.Equal("""{"fresh":true}""", scope.Variables.ToJsonString());
    }

    [Fact]
    public void A_script_that_does_not_mention_vars_leaves_them_alone()
    {
        var scope = Scope();
        Evaluator.RunScript("return inputs.vm;", scope);
        Assert.Equal("""{"counter":1,"keep":"yes"}""", scope.Variables.ToJsonString());
    }

    [Fact]
    public void Declarations_do_not_leak_between_runs()
    {
        Evaluator.RunScript("let x = 1; const y = 2; function f() {} return x + y;", Scope());
        Assert.Equal(3, Evaluator.RunScript("let x = 1; const y = 2; return x + y;", Scope())!.GetValue<long>());
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("return typeof f === 'function' ? f() : undefinedThing;", Scope()));
        Assert.Contains("undefinedThing is not defined", e.Message);
    }

    [Fact]
    public void A_runtime_error_names_the_step_the_script_and_the_line()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("const a = 1;\nreturn a.b.c;", Scope("convert")));
        Assert.StartsWith("step 'convert': script 'const a = 1; return a.b.c;' failed: TypeError:", e.Message);
        Assert.Contains("(line 2", e.Message);
        Assert.Equal("convert", e.StepId);
    }

    [Fact]
    public void A_syntax_error_gives_line_and_column()
    {
        var e = Assert.Throws<ExpressionException>(() => Evaluator.RunScript("let a = 1;\nlet b = ;", Scope()));
        Assert.Contains("syntax error at line 2, column 9", e.Message);
    }

    [Fact]
    public void Template_literals_work_inside_scripts()
    {
        Assert.Equal("vm=web-1", Evaluator.RunScript("return `vm=${inputs.vm}`;", Scope())!.GetValue<string>());
    }
}
