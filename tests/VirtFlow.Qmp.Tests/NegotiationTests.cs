using System.Text.RegularExpressions;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

[Collection(SharedVmCollection.Name)]
public sealed class NegotiationTests(SharedVmFixture fixture)
{
    [Fact]
    public async Task Greeting_reports_the_installed_QEMU_version_and_its_capabilities()
    {
        var installed = await ExternalTool.RunCheckedAsync(QemuProcess.Binary, ["--version"]);
        var match = Regex.Match(installed.StdOut, @"version (\d+)\.(\d+)\.(\d+)");
        Assert.True(match.Success, installed.StdOut);

        var greeting = fixture.Client.Greeting;
        Assert.Equal(int.Parse(match.Groups[1].Value), greeting.Version.Major);
        Assert.Equal(int.Parse(match.Groups[2].Value), greeting.Version.Minor);
        Assert.Equal(int.Parse(match.Groups[3].Value), greeting.Version.Micro);
        Assert.Contains(greeting.Version.Package, installed.StdOut);
        Assert.Contains("oob", greeting.Capabilities);
        Assert.Equal(QmpClientState.Running, fixture.Client.State);
    }

    [Fact]
    public async Task Query_version_agrees_with_the_greeting()
    {
        var version = await fixture.Client.QueryVersionAsync();
        Assert.Equal(fixture.Client.Greeting.Version, version);
    }

    [Fact]
    public async Task Query_status_of_a_VM_started_with_S_is_prelaunch_and_not_running()
    {
        var status = await fixture.Client.QueryStatusAsync();
        Assert.Equal(new VmStatus(false, "prelaunch"), status);
    }

    [Fact]
    public async Task Capabilities_were_negotiated_so_commands_run_at_once()
    {
        // Without qmp_capabilities QEMU answers every command with CommandNotFound.
        var reply = await fixture.Client.ExecuteAsync("query-name");
        Assert.NotNull(reply.AsObject());
    }
}
