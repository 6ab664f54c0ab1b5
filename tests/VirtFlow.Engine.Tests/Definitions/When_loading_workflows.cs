using VirtFlow.Engine.Definitions;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Definitions;

public class When_loading_workflows
{
    private static string Folder(params (string Path, string Text)[] files)
    {
        var dir = TestDirs.Create("wfload");
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return dir;
    }

    [Fact]
    public void A_folder_is_loaded_by_name_and_version()
    {
        var dir = Folder(
            ("hello.yaml", "name: hello\nsteps:\n  - type: log\n    with: { message: hi }\n"),
            ("nested/hello-v2.yml", "name: hello\nversion: 2\nsteps: []\n"),
            ("other.json", """{ "name": "other", "steps": [] }"""),
            ("schema/workflow.schema.json", """{ "not": "a workflow" }"""),
            ("notes.txt", "ignored"));
        var result = new WorkflowLoader(TestCatalog.Instance).Load(dir);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(3, result.Workflows.Count);
        Assert.Equal(2, result.Find("hello")!.Version);
        Assert.Equal(1, result.Find("hello", 1)!.Version);
        Assert.Null(result.Find("hello", 3));
        Assert.Equal("hello", result.Find("hello-v2")!.Name);
        Assert.Null(result.Find("missing"));
    }

    [Fact]
    public void Files_with_errors_are_left_out_and_reported()
    {
        var dir = Folder(
            ("good.yaml", "name: good\nsteps: []\n"),
            ("bad.yaml", "name: bad\nsteps:\n  - type: lgo\n"),
            ("dup.yaml", "name: good\nsteps: []\n"));
        var result = new WorkflowLoader(TestCatalog.Instance).Load(dir);
        Assert.True(result.HasErrors);
        Assert.Equal(["good"], result.Workflows.Select(w => w.Definition.Name));
        Assert.Contains(result.Diagnostics, d => d.Location.File.EndsWith("bad.yaml", StringComparison.Ordinal) && d.Message.Contains("unknown activity type 'lgo'"));
        Assert.Contains(result.Diagnostics, d => d.Message.StartsWith("workflow 'good' version 1 is also defined in", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_catalog_only_the_parser_checks()
    {
        var dir = Folder(("a.yaml", "name: a\nsteps:\n  - type: anything\n"));
        var result = new WorkflowLoader().Load(Path.Combine(dir, "a.yaml"));
        Assert.Single(result.Workflows);
    }

    [Fact]
    public void A_missing_file_is_a_diagnostic()
    {
        var result = new WorkflowLoader().Load("/nonexistent/wf.yaml");
        Assert.StartsWith("cannot read the file:", Assert.Single(result.Diagnostics).Message);
    }
}
