using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using static VirtFlow.Engine.Tests.Expressions.EvaluatorFixture;

namespace VirtFlow.Engine.Tests.Expressions;

public class When_evaluating_templates
{
    private static string? Eval(string template) => Evaluator.EvaluateTemplate(JsonValue.Create(template), Scope())?.ToJsonString();

    private static string Text(string template) => Evaluator.EvaluateTemplate(JsonValue.Create(template), Scope())!.GetValue<string>();

    [Fact]
    public void A_single_expression_keeps_its_type()
    {
        Assert.Equal("3", Eval("${ inputs.count }"));
        Assert.Equal("[\"vda\",\"vdb\"]", Eval("${inputs.disks}"));
        Assert.Equal("false", Eval("  ${ inputs.force }  "));
        Assert.Equal("null", Eval("${ inputs.nothing }") ?? "null");
    }

    [Fact]
    public void Mixed_text_is_interpolated()
    {
        Assert.Equal("\"vm web-1 has 3 disks\"", Eval("vm ${ inputs.vm } has ${ inputs.count } disks"));
    }

    [Fact]
    public void Null_interpolates_as_empty_and_objects_as_JSON()
    {
        Assert.Equal("\"[]\"", Eval("[${ inputs.nothing }]"));
        Assert.Equal("""spec={"size":10,"tags":["a"]} disks=["vda","vdb"]""", Text("spec=${ inputs.spec } disks=${ inputs.disks }"));
        Assert.Equal("\"ratio 1.5 ok true\"", Eval("ratio ${ inputs.ratio } ok ${ !inputs.force }"));
    }

    [Fact]
    public void A_brace_inside_a_string_or_object_literal_does_not_end_the_expression()
    {
        Assert.Equal("\"}\"", Eval("${ '}' }"));
        Assert.Equal("\"a}b{\"", Eval("${ \"a}\" + 'b{' }"));
        Assert.Equal("{\"a\":{\"b\":1}}", Eval("${ ({ a: { b: 1 } }) }"));
        Assert.Equal("\"x-} 3\"", Eval("${ `x-}` } ${ `${inputs.count}` }"));
        Assert.Equal("1", Eval("${ [1,2].filter(x => { return x > 1; }).length }"));
        Assert.Equal("it's", Text("${ 'it\\'s' }"));
    }

    [Fact]
    public void Double_dollar_writes_a_literal_placeholder()
    {
        Assert.Equal("\"cost ${x} for web-1\"", Eval("cost $${x} for ${ inputs.vm }"));
        Assert.Equal("\"${x}\"", Eval("$${x}"));
    }

    [Fact]
    public void Objects_and_arrays_are_evaluated_recursively_without_changing_the_template()
    {
        var template = JsonNode.Parse("""{"vm":"${ inputs.vm }","n":"${ inputs.count }","list":["${ inputs.disks[0] }", 7, true, null],"plain":"text"}""");
        var before = template!.ToJsonString();
        var result = Evaluator.EvaluateTemplate(template, Scope());
        Assert.Equal("""{"vm":"web-1","n":3,"list":["vda",7,true,null],"plain":"text"}""", result!.ToJsonString());
        Assert.Equal(before, template.ToJsonString());
    }

    [Fact]
    public void Non_string_values_come_back_as_they_are()
    {
        Assert.Equal("42", Evaluator.EvaluateTemplate(JsonValue.Create(42), Scope())!.ToJsonString());
        Assert.Null(Evaluator.EvaluateTemplate(null, Scope()));
    }

    [Fact]
    public void An_unterminated_placeholder_is_an_error_naming_the_step()
    {
        var e = Assert.Throws<ExpressionException>(() => Eval("vm ${ inputs.vm"));
        Assert.StartsWith("step 'mirror': template 'vm ${ inputs.vm' is invalid: unterminated", e.Message);
    }

    [Fact]
    public void Parts_report_their_offsets()
    {
        var t = ExpressionTemplate.Parse("ab ${ x } c ${y}");
        Assert.Equal(4, t.Parts.Count);
        Assert.Equal(new TemplatePart(true, " x ", 5), t.Parts[1]);
        Assert.Equal(new TemplatePart(true, "y", 14), t.Parts[3]);
        Assert.False(t.IsSingleExpression);
        Assert.True(ExpressionTemplate.Parse(" ${ a } ").IsSingleExpression);
    }
}
