using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests.Policy;

/// <summary>
/// RawQmp (the vm.qmp activity) against real QEMU: deny by default. Read-only query-* commands run; anything else only
/// when the worker allows it; commands that reach the host only when named exactly (a warning at start), and their
/// arguments may name host paths only under the storage roots. A refusal names the command and the setting.
/// </summary>
public sealed class When_a_sender_asks_for_a_QMP_command(ITestOutputHelper output)
{
    [Fact]
    public async Task Migrate_to_an_exec_uri_is_refused_and_runs_nothing()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(vm.Dir));
        var canary = Path.Combine(vm.Dir, "canary");

        var result = await worker.RunAsync(Commands.Qmp("migrate", new JsonObject { ["uri"] = $"exec:touch {canary}" }.ToJsonString()));

        Assert.False(result.Success, "migrate exec: ran");
        Assert.Equal(HostErrorClasses.NotAllowed, result.ErrorClass);
        Assert.Equal("VM vm1: QMP command 'migrate' is not allowed on host h1 (allow it with --allow-qmp migrate or VirtFlow:Worker:AllowQmp)", result.Error);
        // Had QEMU got it, the migration would be under way (and the canary made) by the time it answers query-migrate.
        var migration = await worker.RunAsync(Commands.Qmp("query-migrate"));
        Assert.True(migration.Success, migration.Error);
        Assert.Null(JsonNode.Parse(migration.ResultJson!)!["status"]);
        Assert.False(File.Exists(canary), "the exec: command ran on the host");
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task Migrate_exec_is_refused_even_when_migrate_is_allowed_and_the_wildcard_enables_no_host_command()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o =>
        {
            o.StorageRoots.Add(vm.Dir);
            o.AllowQmp.Add("*");
            o.AllowQmp.Add("migrate");
        });
        var canary = Path.Combine(vm.Dir, "canary");

        var exec = await worker.RunAsync(Commands.Qmp("migrate", new JsonObject { ["uri"] = $"exec:touch {canary}" }.ToJsonString()));
        Assert.Equal(HostErrorClasses.NotAllowed, exec.ErrorClass);
        Assert.Contains("runs a host program", exec.Error, StringComparison.Ordinal);
        var file = await worker.RunAsync(Commands.Qmp("migrate", new JsonObject { ["uri"] = "file:/etc/vf-migrated" }.ToJsonString()));
        Assert.Equal(HostErrorClasses.NotAllowed, file.ErrorClass);
        Assert.Contains("outside the storage roots", file.Error, StringComparison.Ordinal);

        foreach (var command in new[] { "human-monitor-command", "screendump", "dump-guest-memory", "blockdev-add", "migrate-incoming" })
        {
            var refused = await worker.RunAsync(Commands.Qmp(command));
            Assert.True(refused.ErrorClass == HostErrorClasses.NotAllowed, $"{command}: {refused.ErrorClass}: {refused.Error}");
            Assert.Contains($"--allow-qmp {command}", refused.Error, StringComparison.Ordinal);
        }
        Assert.True((await worker.RunAsync(Commands.Qmp("stop"))).Success); // '*' allows what stays inside QEMU
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        Assert.False(File.Exists(canary));
        Assert.Contains(worker.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("QMP command 'migrate' is allowed on host h1: it can run a shell command", StringComparison.Ordinal));
        Assert.Contains(worker.Logs.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("QMP commands '*' are allowed on host h1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Human_monitor_command_is_refused()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(vm.Dir));

        var result = await worker.RunAsync(Commands.Qmp("human-monitor-command", """{"command-line": "stop"}"""));

        Assert.Equal(HostErrorClasses.NotAllowed, result.ErrorClass);
        Assert.Equal("VM vm1: QMP command 'human-monitor-command' is not allowed on host h1 (allow it with --allow-qmp human-monitor-command or VirtFlow:Worker:AllowQmp)", result.Error);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task Query_commands_run_and_other_commands_need_to_be_allowed()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(vm.Dir));

        var status = await worker.RunAsync(Commands.Qmp("query-status"));
        Assert.True(status.Success, status.Error);
        Assert.Equal("running", JsonNode.Parse(status.ResultJson!)!["status"]!.GetValue<string>());

        var stop = await worker.RunAsync(Commands.Qmp("stop"));
        Assert.Equal(HostErrorClasses.NotAllowed, stop.ErrorClass);
        Assert.Contains("--allow-qmp stop", stop.Error, StringComparison.Ordinal);
        var odd = await worker.RunAsync(Commands.Qmp("query-status\"}, {\"execute\": \"quit"));
        Assert.Equal(HostErrorClasses.BadRequest, odd.ErrorClass);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Text.Contains(" is allowed on host", StringComparison.Ordinal) || l.Text.Contains(" are allowed on host", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Blockdev_add_allowed_by_name_works_under_the_storage_roots_only_and_is_warned_about_at_start()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var roots = Path.Combine(vm.Dir, "roots");
        Directory.CreateDirectory(roots);
        var inside = Path.Combine(roots, "extra.raw");
        await File.WriteAllBytesAsync(inside, new byte[1 << 20]);
        var outside = Path.Combine(vm.Dir, "outside.raw");
        await File.WriteAllBytesAsync(outside, new byte[1 << 20]);
        var link = Path.Combine(roots, "link.raw");
        File.CreateSymbolicLink(link, outside);

        // Not allowed: refused whatever the path.
        await using (var strict = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.StorageRoots.Add(roots)))
        {
            var refused = await strict.RunAsync(Commands.Qmp("blockdev-add", Add("n-in", inside)));
            Assert.Equal(HostErrorClasses.NotAllowed, refused.ErrorClass);
            Assert.Contains("--allow-qmp blockdev-add", refused.Error, StringComparison.Ordinal);
        }

        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o =>
        {
            o.StorageRoots.Add(roots);
            o.AllowQmp.Add("blockdev-add");
        });
        Assert.Contains(worker.Logs.Lines, l => l.Level == LogLevel.Warning
            && l.Text.StartsWith("QMP command 'blockdev-add' is allowed on host h1: it opens host files", StringComparison.Ordinal));

        var added = await worker.RunAsync(Commands.Qmp("blockdev-add", Add("n-in", inside)));
        Assert.True(added.Success, added.Error);
        foreach (var (node, path) in new[] { ("n-out", outside), ("n-etc", "/etc/passwd"), ("n-link", link), ("n-rel", "outside.raw") })
        {
            var refused = await worker.RunAsync(Commands.Qmp("blockdev-add", Add(node, path)));
            Assert.True(refused.ErrorClass == HostErrorClasses.NotAllowed, $"{path}: {refused.ErrorClass}: {refused.Error}");
            Assert.Contains("storage roots", refused.Error, StringComparison.Ordinal);
        }
        var json = await worker.RunAsync(Commands.Qmp("blockdev-add", new JsonObject
        {
            ["driver"] = "raw", ["node-name"] = "n-json", ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = "json:{\"driver\":\"file\",\"filename\":\"/etc/passwd\"}" },
        }.ToJsonString()));
        Assert.Equal(HostErrorClasses.NotAllowed, json.ErrorClass);

        var nodes = (await vm.Monitor.QueryNamedBlockNodesAsync(true)).Select(n => n.NodeName).ToList();
        Assert.Contains("n-in", nodes);
        Assert.DoesNotContain(nodes, n => n is "n-out" or "n-etc" or "n-link" or "n-rel" or "n-json");
    }

    private static string Add(string node, string path) => new JsonObject
    {
        ["driver"] = "raw",
        ["node-name"] = node,
        ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = path },
    }.ToJsonString();
}
