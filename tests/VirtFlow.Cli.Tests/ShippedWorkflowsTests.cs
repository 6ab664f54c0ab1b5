using VirtFlow.Cli.Commands;
using VirtFlow.Testing;

namespace VirtFlow.Cli.Tests;

/// <summary>Every workflow shipped under workflows/ passes <c>virtflow validate</c> against the engine's real catalog.</summary>
public sealed class ShippedWorkflowsTests
{
    [Fact]
    public async Task Every_shipped_workflow_validates()
    {
        var dir = Path.Combine(TestDirs.RepoRoot, "workflows");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await ValidateCommand.RunAsync([dir], stdout, stderr, CancellationToken.None);

        Assert.True(exit == 0, stdout.ToString() + stderr);
        Assert.Contains("copy-disks-pivot.yaml (copy-disks-pivot v1", stdout.ToString());
        Assert.Contains("point-in-time-copy.yaml (point-in-time-copy v1", stdout.ToString());
    }
}
