using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Cli;

/// <summary>
/// <c>virtflow plan</c> as a process against a real server with a real worker serving a real QEMU VM: the plan printed
/// one line per disk and target, exit 0 when the run can go, 1 with each problem when it would fail, 2 for bad usage;
/// the connection from the options or from VIRTFLOW_SERVER / VIRTFLOW_API_KEY. Nothing is started.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_virtflow_plan_asks_a_server(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task It_prints_each_disk_and_target_and_exits_0_when_the_run_can_go_1_when_it_would_fail_2_for_bad_usage()
    {
        await using var rig = await ShippedVmRig.StartAsync(rabbit, postgres, output, disks: 1);
        var (vm, api, hostId) = (rig.Vm, rig.Api, rig.HostId);
        var inside = Path.Combine(Directory.CreateDirectory(Path.Combine(vm.Dir, "targets")).FullName, "vda.qcow2");
        var outside = Path.Combine(TestDirs.Create("outside"), "vda.qcow2");
        var server = api.BaseAddress.ToString();
        var key = api.Keys["operator"];
        string[] Args(string target) =>
            ["plan", "copy-disks-pivot", "--input", $"host={hostId}", "--input", "vm=web1", "--input", "quiesce=pause",
             "--input", $$"""disks=[{"device":"vda","target":"{{target}}"}]"""];

        var go = await VirtFlowProcess.RunAsync(Timeout, [.. Args(inside), "--server", server, "--api-key", key]);
        output.WriteLine(go.Stdout + go.Stderr);
        Assert.Equal(0, go.Code);
        var lines = go.Stdout.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Matches($@"^plan copy-disks-pivot v1 on host {hostId}, VM web1 \(QEMU \d+\.\d+\.\d+.*, running, quiesce pause\)$", lines[0]);
        Assert.Equal($"  lock vm:{hostId}/web1: free", lines[1]);
        Assert.Matches($@"^  disk vda: {vm.Disks[0].ImagePath} \(qcow2, {vm.Disks[0].Size:N0} bytes\) -> {inside} \(qcow2; under {vm.Dir}, [\d,]+ bytes free, new\)$",
            lines[2]);
        Assert.Equal("the run can go", lines[^1]);

        // From the environment this time, and a target outside the storage roots: exit 1 with the problem's line.
        await using (var fail = VirtFlowProcess.Start(new Dictionary<string, string> { ["VIRTFLOW_SERVER"] = server, ["VIRTFLOW_API_KEY"] = key }, Args(outside)))
        {
            var code = await fail.WaitForExitAsync(Timeout);
            output.WriteLine(fail.ToString());
            Assert.Equal(1, code);
            Assert.Contains($"problem: VM web1: disk vda: target {outside} is outside the storage roots ({vm.Dir})", fail.Stdout, StringComparison.Ordinal);
            Assert.Contains("  disk vda: ", fail.Stdout, StringComparison.Ordinal);
            Assert.EndsWith("the run would fail: 1 problem", fail.Stdout.TrimEnd(), StringComparison.Ordinal);
        }

        // --json: the plan as one object.
        var json = await VirtFlowProcess.RunAsync(Timeout, [.. Args(inside), "--server", server, "--api-key", key, "--json"]);
        Assert.Equal(0, json.Code);
        var plan = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.True(plan["canRun"]!.GetValue<bool>());
        Assert.Equal(vm.Disks[0].ImagePath, plan["disks"]![0]!["currentFile"]!.GetValue<string>());

        // Bad usage: exit 2 with one line naming what is wrong.
        var noName = await VirtFlowProcess.RunAsync(Timeout, "plan", "--server", server, "--api-key", key);
        Assert.Equal((2, "virtflow plan: no workflow NAME given (see virtflow plan --help)"), (noName.Code, noName.Stderr.Trim()));
        var badInput = await VirtFlowProcess.RunAsync(Timeout, "plan", "copy-disks-pivot", "--input", "novalue", "--server", server, "--api-key", key);
        Assert.Equal(2, badInput.Code);
        Assert.StartsWith("virtflow plan: ", badInput.Stderr.Trim(), StringComparison.Ordinal);

        // A workflow the server does not know: exit 1 naming it; and nothing was ever started.
        var unknown = await VirtFlowProcess.RunAsync(Timeout, "plan", "nope", "--server", server, "--api-key", key);
        // The refusal names the server it came from (as every remote verb's does), then the server's reason.
        Assert.Equal(1, unknown.Code);
        var refusal = unknown.Stderr.Trim();
        Assert.Matches(@"^virtflow plan: http://127\.0\.0\.1:\d+/: 404 unknown workflow 'nope' \(this server knows: copy-disks-pivot\)$", refusal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(inside)!));
        Assert.Empty((await api.Viewer.GetFromJsonAsync<JsonObject>("/api/instances"))!["items"]!.AsArray());
    }

    [Fact]
    public async Task The_embedded_form_plans_a_workflow_file_with_a_worker_in_the_process_and_changes_nothing()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        var targets = Directory.CreateDirectory(Path.Combine(vm.Dir, "targets")).FullName;
        var blockBefore = await VmBlocks.FilesAsync(vm);
        string[] Args(string target) =>
            ["plan", Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml"), "--store", "memory:", "--vm", $"web1=qmp:{vm.QmpSocketPath}",
             "--storage-root", vm.Dir, "--input", "vm=web1", "--input", "quiesce=pause", "--input", $$"""disks=[{"device":"vda","target":"{{target}}"}]"""];

        var go = await VirtFlowProcess.RunAsync(Timeout, Args(Path.Combine(targets, "vda.qcow2")));
        output.WriteLine(go.Stdout + go.Stderr);
        Assert.Equal(0, go.Code);
        Assert.Contains($"  disk vda: {vm.Disks[0].ImagePath} (qcow2, ", go.Stdout, StringComparison.Ordinal);
        Assert.Contains($"(qcow2; under {vm.Dir}, ", go.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("the run can go", go.Stdout.TrimEnd(), StringComparison.Ordinal);

        var outside = Path.Combine(TestDirs.Create("outside"), "vda.qcow2");
        var fail = await VirtFlowProcess.RunAsync(Timeout, Args(outside));
        output.WriteLine(fail.Stdout + fail.Stderr);
        Assert.Equal(1, fail.Code);
        Assert.Contains($"problem: VM web1: disk vda: target {outside} is outside the storage roots ({vm.Dir})", fail.Stdout, StringComparison.Ordinal);

        Assert.Equal(blockBefore, await VmBlocks.FilesAsync(vm));
        Assert.Empty((await vm.Monitor.ExecuteAsync("query-block-jobs")).AsArray());
        Assert.Empty(Directory.EnumerateFileSystemEntries(targets));
    }
}
