using System.Diagnostics;
using VirtFlow.Engine.Definitions;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Definitions.Limits;

/// <summary>
/// <see cref="WorkflowFileReader"/> and the loader refuse what is not a regular file (a FIFO with no writer, /dev/zero behind a
/// symbolic link, a directory) without blocking, and a file larger than the limit without reading it.
/// </summary>
public sealed class When_reading_a_workflow_file
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    private static async Task<string> FifoAsync()
    {
        var path = Path.Combine(TestDirs.Create("fifo"), "flow.yaml");
        await ExternalTool.RunCheckedAsync("mkfifo", [path]);
        return path;
    }

    private static async Task<WorkflowFileRefusedException> RefusedAsync(string path, WorkflowLimits? limits = null)
    {
        // On a thread of its own, so a read that blocks fails the test instead of hanging it.
        var read = Task.Factory.StartNew(() => WorkflowFileReader.Read(path, limits), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(Quick)));
        var e = await Assert.ThrowsAsync<WorkflowFileRefusedException>(() => read);
        Assert.True(e.Diagnostic.IsLimit);
        return e;
    }

    [Fact]
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        var fifo = await FifoAsync();

        var e = await RefusedAsync(fifo);

        Assert.Equal($"{fifo}:1:1: error: not a regular file: it is a FIFO (named pipe); a workflow file must be a regular file", e.Diagnostic.ToString());
    }

    [Fact]
    public async Task Dev_zero_behind_a_yaml_link_is_refused()
    {
        var link = Path.Combine(TestDirs.Create("zero"), "zero.yaml");
        File.CreateSymbolicLink(link, "/dev/zero");

        var e = await RefusedAsync(link);

        Assert.Equal($"{link}:1:1: error: not a regular file: it is a character device; a workflow file must be a regular file", e.Diagnostic.ToString());
    }

    [Fact]
    public async Task A_directory_named_yaml_is_refused()
    {
        var dir = Directory.CreateDirectory(Path.Combine(TestDirs.Create("dir"), "flow.yaml")).FullName;

        Assert.Contains("not a regular file: it is a directory", (await RefusedAsync(dir)).Diagnostic.Message);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_from_its_size()
    {
        var path = Path.Combine(TestDirs.Create("big"), "big.yaml");
        using (var f = File.Create(path))
            f.SetLength(5L * 1024 * 1024);

        var e = await RefusedAsync(path);

        Assert.Equal($"{path}:1:1: error: the file is 5,242,880 bytes, more than the limit of 4,194,304 (MaxFileBytes)", e.Diagnostic.ToString());
    }

    [Fact]
    public void A_regular_file_is_read_with_its_byte_order_mark_honoured()
    {
        var path = Path.Combine(TestDirs.Create("bom"), "bom.yaml");
        File.WriteAllText(path, "name: bom\nsteps: []\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal("name: bom\nsteps: []\n", WorkflowFileReader.Read(path));
        Assert.Throws<FileNotFoundException>(() => WorkflowFileReader.Read(path + ".missing"));
    }

    [Fact]
    public async Task The_loader_reports_the_bad_files_of_a_folder_and_loads_the_good_one()
    {
        var dir = TestDirs.Create("badfolder");
        File.WriteAllText(Path.Combine(dir, "good.yaml"), "name: good\nsteps:\n  - type: log\n    with: { message: hi }\n");
        File.WriteAllText(Path.Combine(dir, "bomb.yaml"), HostileWorkflows.AliasBomb());
        File.WriteAllText(Path.Combine(dir, "deep.yaml"), HostileWorkflows.NestedFlow(10_000));
        File.CreateSymbolicLink(Path.Combine(dir, "zero.yaml"), "/dev/zero");
        await ExternalTool.RunCheckedAsync("mkfifo", [Path.Combine(dir, "fifo.yaml")]);

        var watch = Stopwatch.StartNew();
        var result = new WorkflowLoader(TestCatalog.Instance).Load(dir);

        Assert.True(watch.Elapsed < Quick, $"took {watch.Elapsed}");
        Assert.Equal("good", Assert.Single(result.Workflows).Definition.Name);
        Assert.Equal(4, result.Diagnostics.Count);
        Assert.All(result.Diagnostics, d => Assert.True(d.IsLimit, d.ToString()));
    }
}
