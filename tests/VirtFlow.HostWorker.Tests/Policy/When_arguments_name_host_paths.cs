using System.Text.Json.Nodes;
using VirtFlow.HostWorker.Policy;

namespace VirtFlow.HostWorker.Tests.Policy;

/// <summary>The scan of an allowed command's arguments (pure logic): host paths under the roots only, no programs.</summary>
public sealed class When_arguments_name_host_paths
{
    private static readonly StorageRoots Roots = new([Path.GetTempPath()]);

    [Theory]
    [InlineData("migrate", """{"uri": "exec:id"}""", "runs a host program")]
    [InlineData("migrate", """{"channels": [{"channel-type": "main", "addr": {"transport": "exec", "args": ["sh", "-c", "id"]}}]}""", "runs a host program")]
    [InlineData("migrate", """{"uri": "file:/etc/x"}""", "outside the storage roots")]
    [InlineData("drive-mirror", """{"device": "vda", "target": "disk.qcow2", "sync": "full"}""", "not an absolute path")]
    [InlineData("drive-mirror", """{"device": "vda", "target": "/etc/shadow", "sync": "full"}""", "outside the storage roots")]
    [InlineData("chardev-add", """{"id": "c", "backend": {"type": "socket", "data": {"addr": {"type": "unix", "data": {"path": "c.sock"}}}}}""", "not an absolute path")]
    [InlineData("chardev-add", """{"id": "c", "backend": {"type": "file", "data": {"out": "/root/.ssh/authorized_keys"}}}""", "outside the storage roots")]
    [InlineData("blockdev-add", """{"driver": "qcow2", "node-name": "n", "file": {"driver": "file", "filename": "json:{}"}}""", "json: pseudo-filename")]
    [InlineData("dump-guest-memory", """{"paging": false, "protocol": "file:mem.dump"}""", "not an absolute path")]
    public void A_path_outside_the_roots_or_a_program_is_refused(string command, string arguments, string why)
    {
        var refusal = HostPathScan.Refusal(command, JsonNode.Parse(arguments), Roots);

        Assert.NotNull(refusal);
        Assert.Contains(why, refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blockdev-mirror", """{"job-id": "j", "device": "vda", "target": "n1", "sync": "full"}""")]
    [InlineData("qom-set", """{"path": "/machine/peripheral/vda", "property": "x", "value": 1}""")]
    [InlineData("qom-get", """{"path": "vda", "property": "x"}""")]
    [InlineData("migrate", """{"uri": "tcp:10.0.0.2:4444"}""")]
    [InlineData("stop", null)]
    public void Node_names_QOM_paths_and_network_addresses_pass(string command, string? arguments) =>
        Assert.Null(HostPathScan.Refusal(command, arguments is null ? null : JsonNode.Parse(arguments), Roots));

    [Fact]
    public void A_path_under_a_root_passes() =>
        Assert.Null(HostPathScan.Refusal("drive-mirror", new JsonObject { ["target"] = Path.Combine(Path.GetTempPath(), "vf-t.qcow2") }, Roots));
}
