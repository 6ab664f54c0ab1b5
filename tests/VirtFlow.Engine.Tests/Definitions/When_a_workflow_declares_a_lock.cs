using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_a_workflow_declares_a_lock
{
    private static ParseResult Parse(string yaml) => WorkflowParser.Parse(yaml, "locked.yaml");

    private static IReadOnlyList<Diagnostic> Check(string yaml) => WorkflowValidator.Validate(Parse(yaml), TestCatalog.Instance);

    [Fact]
    public void It_is_read_kept_in_the_canonical_form_and_changes_the_hash()
    {
        const string Body = """
            inputs: { host: { type: string, default: h1 }, vm: { type: string } }
            steps: [ { type: log, with: { message: hi } } ]
            """;
        var locked = Parse("name: w\nlock: \"vm:${ inputs.host }/${ inputs.vm }\"\n" + Body).Definition!;
        var free = Parse("name: w\n" + Body).Definition!;

        Assert.Equal("vm:${ inputs.host }/${ inputs.vm }", locked.Lock);
        Assert.Null(free.Lock);
        Assert.Contains("\"lock\":\"vm:${ inputs.host }/${ inputs.vm }\"", locked.CanonicalJson, StringComparison.Ordinal);
        Assert.NotEqual(free.Hash, locked.Hash);
        var again = WorkflowParser.Parse(locked.CanonicalJson, "stored.json").Definition!;
        Assert.Equal(locked.Lock, again.Lock);
        Assert.Equal(locked.Hash, again.Hash);
        Assert.Empty(Check("name: w\nlock: \"vm:${ inputs.host }/${ inputs.vm }\"\n" + Body));
    }

    [Fact]
    public void Its_mistakes_are_reported_at_their_line_and_column()
    {
        var diagnostics = Check("""
            name: w
            lock: "vm:${ inputs.hots }/${ steps.a.outputs.x }"
            inputs: { host: { type: string } }
            steps:
              - { id: a, type: log, with: { message: hi } }
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.Equal("locked.yaml:2:21: error: the workflow's lock: 'inputs.hots' is not a declared input; did you mean 'host'? (declared: host)", diagnostics[0].ToString());
        Assert.Equal("locked.yaml:2:37: error: the workflow's lock is computed when the instance starts: it can use inputs and instance, not 'steps'", diagnostics[1].ToString());
    }

    [Fact]
    public void A_lock_that_is_not_text_or_has_bad_syntax_is_an_error()
    {
        var list = Check("name: w\nlock: [a, b]\nsteps: [ { type: log, with: { message: hi } } ]\n");
        Assert.Equal("locked.yaml:2:7: error: 'lock' must be text, not a list", Assert.Single(list).ToString());

        var syntax = Check("name: w\nlock: \"vm:${ inputs.( }\"\nsteps: [ { type: log, with: { message: hi } } ]\n");
        Assert.StartsWith("locked.yaml:2:", Assert.Single(syntax).ToString(), StringComparison.Ordinal);
        Assert.Contains("the workflow's lock: syntax error", syntax[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_vm_workflows_lock_their_vm()
    {
        var root = Path.Combine(VirtFlow.Testing.TestDirs.RepoRoot, "workflows");
        foreach (var file in new[] { "copy-disks-pivot.yaml", "point-in-time-copy.yaml" })
        {
            var definition = WorkflowParser.Parse(File.ReadAllText(Path.Combine(root, file)), file).Definition!;
            Assert.Equal("vm:${ inputs.host }/${ inputs.vm }", definition.Lock);
        }
    }
}
