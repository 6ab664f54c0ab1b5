using System.CommandLine;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Hosting.Logging;
using VirtFlow.Hosting.Worker;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow worker</c>: the host worker of one hypervisor as its own process. Consumes <c>virtflow-host-{id}</c> on
/// RabbitMQ (single active consumer: a second worker for the same host is a standby that takes over when the active one
/// dies), drives each VM's QMP monitor and guest agent, publishes results and job events to the engine (buffered and
/// retried while the broker is away, then followed by a fresh snapshot). Options also come from <c>appsettings.json</c>
/// (section <c>VirtFlow:Worker</c>) and the environment (<c>VirtFlow__Worker__HostId</c> ...); the command line wins.
/// Quiesce leases are kept in <c>--state-dir</c>, so a worker started after this one was killed ends those that ran out.
/// Prints one line <c>virtflow worker ready ...</c> on stdout once it serves; Ctrl-C or SIGTERM stop it (every quiesce
/// lease released first) with exit code 0.
/// </summary>
internal static class WorkerCommand
{
    private const string Description =
        "Serves the commands sent to queue virtflow-host-ID and publishes its results and QEMU's job events to the engine. "
        + "Settings also come from --config FILE (default ./appsettings.json if present), section VirtFlow:Worker: HostId, RabbitMq, "
        + "RabbitMqCa, Vms [..], StorageRoots [..], AllowQmp [..], Lease, StateDir, HeartbeatInterval, BrokerStartTimeout; also "
        + "VirtFlow__Worker__* variables; the command line wins. -v logs debug (-vv: everything, with stack traces); information by "
        + "default, one line per event.\n"
        + "exit code: 0 stopped by Ctrl-C/SIGTERM, 1 could not start, 2 bad usage";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var hostId = Own("--host-id", "ID", "the host served (a second worker with the same id waits as a standby)");
        var lease = Own("--lease", "DURATION", "the quiesce lease when a command gives none (default 60s)");
        var heartbeat = Own("--heartbeat", "DURATION", "how often the worker reports itself (version, VMs) to the servers' host list "
            + "(default 30s; 1s to 30s: a server shows a host offline after 90s without a report)");
        var stateDir = Own("--state-dir", "DIR", "where quiesce leases are kept, so a worker started after this one was killed resumes a "
            + "VM paused under a lease that ran out (default: FIRST-STORAGE-ROOT/.virtflow/worker-ID)");
        var config = Own("--config", "FILE", "settings file (default ./appsettings.json if present), section VirtFlow:Worker");
        var command = new Command("worker", Description)
        {
            hostId, shared.RabbitMq, shared.Vm, shared.StorageRoot, shared.AllowQmp, lease, heartbeat, stateDir, config, shared.RabbitMqCa,
            shared.Verbose, shared.VeryVerbose,
        };
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
        {
            var given = new VirtFlowWorkerSettings
            {
                HostId = parsed.GetValue(hostId),
                RabbitMq = parsed.GetResult(shared.RabbitMq)?.Tokens[^1].Value,
                RabbitMqCa = parsed.GetValue(shared.RabbitMqCa) is { } ca ? Path.GetFullPath(ca) : null,
                Lease = parsed.GetValue(lease),
                HeartbeatInterval = parsed.GetValue(heartbeat),
                StateDir = parsed.GetValue(stateDir) is { } dir ? Path.GetFullPath(dir) : null,
            };
            given.Vms.AddRange(parsed.GetResult(shared.Vm)?.Tokens.Select(t => t.Value) ?? []);
            given.StorageRoots.AddRange(parsed.GetValue(shared.StorageRoot) ?? []);
            given.AllowQmp.AddRange(parsed.GetValue(shared.AllowQmp) ?? []);
            return RunAsync(given, parsed.GetValue(config), shared.Verbosity(parsed), stdout, stderr, ct);
        });
        return command;
    }

    /// <summary>Runs <c>virtflow worker ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["worker", .. args], stdout, stderr, ct);

    private static Option<string?> Own(string name, string helpName, string description) =>
        CliOptions.NonEmpty(new Option<string?>(name) { HelpName = helpName, Description = description });

    private static async Task<int> RunAsync(VirtFlowWorkerSettings given, string? configFile, int verbosity, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        VirtFlowWorkerOptions options;
        try
        {
            options = VirtFlowWorkerSettings.Load(configFile).With(given).ToOptions();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow worker: {RunHost.OneLine(e.Message)} (see virtflow worker --help)");
            return 2;
        }
        options.Logging = logging => logging.AddVirtFlowConsole(VirtFlowLogging.LevelFor(verbosity + 1), VirtFlowLogging.StackTracesFor(verbosity));

        VirtFlowWorkerHost host;
        try
        {
            host = await VirtFlowWorkerHost.StartAsync(options, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("virtflow worker: interrupted while starting");
            return 0;
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow worker: {RunHost.OneLine(e.Message)}");
            return 2;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"virtflow worker: cannot start (broker {options.Transport}): {Hosting.Messaging.Identity.RabbitMqTls.RejectionOf(options.Transport) ?? RunHost.OneLine(e.Message)}");
            return 1;
        }
        await using (host)
        {
            var vms = host.Vms.Count == 0 ? "no VMs" : $"VMs {string.Join(", ", host.Vms)}";
            await stdout.WriteLineAsync($"virtflow worker ready: host {host.HostId}, queue {host.Queue}, {vms}, broker {host.Transport}");
            await stdout.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }
            await host.StopAsync(CancellationToken.None);
        }
        return 0;
    }
}
