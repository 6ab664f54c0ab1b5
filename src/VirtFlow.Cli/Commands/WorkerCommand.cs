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
    private const string Usage =
        "usage: virtflow worker --host-id ID --rabbitmq URI --vm NAME=qmp:PATH[,qga:PATH]... --storage-root DIR... [--lease DURATION]\n" +
        "                       [--allow-qmp NAME[,NAME]...]... [--state-dir DIR] [--heartbeat DURATION] [--config FILE] [--rabbitmq-ca FILE] [-v]\n" +
        "  serves the commands sent to queue virtflow-host-ID and publishes its results and QEMU's job events to the engine\n" +
        "  --host-id ID          the host served (a second worker with the same id waits as a standby)\n" +
        "  --rabbitmq URI        the broker: amqp://user:password@host:5672/vhost\n" +
        "  --rabbitmq-ca FILE    PEM CA certificate(s) the broker's TLS certificate must chain to (amqps:// only)\n" +
        "  --vm SPEC             a VM: its name, QMP monitor and guest-agent socket (repeatable)\n" +
        "  --storage-root DIR    mirror targets and every other host path the worker opens must lie under one of these\n" +
        "                        folders (repeatable; required)\n" +
        "  --allow-qmp NAME      a QMP command vm.qmp may run beyond the read-only query-* ones (repeatable or comma-separated;\n" +
        "                        * for all that do not reach the host). Commands that reach the host (migrate*, screendump,\n" +
        "                        human-monitor-command, blockdev-add, dump-* ...) need their own name; each is warned about at start\n" +
        "  --lease DURATION      the quiesce lease when a command gives none (default 60s)\n" +
        "  --heartbeat DURATION  how often the worker reports itself (version, VMs) to the servers' host list (default 30s;\n" +
        "                        1s to 30s: a server shows a host offline after 90s without a report)\n" +
        "  --state-dir DIR       where quiesce leases are kept, so a worker started after this one was killed resumes a\n" +
        "                        VM paused under a lease that ran out (default: FIRST-STORAGE-ROOT/.virtflow/worker-ID)\n" +
        "  --config FILE         settings file (default ./appsettings.json if present), section VirtFlow:Worker:\n" +
        "                        HostId, RabbitMq, RabbitMqCa, Vms [..], StorageRoots [..], AllowQmp [..], Lease, StateDir,\n" +
        "                        HeartbeatInterval, BrokerStartTimeout; also VirtFlow__Worker__* variables\n" +
        "  -v, --verbose         log debug (-vv: everything, with stack traces) to stderr; information by default, one line per event\n" +
        "  exit code: 0 stopped by Ctrl-C/SIGTERM, 1 could not start, 2 bad usage";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        VirtFlowWorkerOptions options;
        int verbosity;
        try
        {
            var (given, configFile, verbose, help) = Parse(args);
            if (help)
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }
            verbosity = verbose;
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

    /// <summary>The command line as settings (values not given stay null/empty), the config file, -v count, --help.</summary>
    /// <exception cref="ArgumentException">Bad usage, naming the option.</exception>
    internal static (VirtFlowWorkerSettings Given, string? ConfigFile, int Verbosity, bool Help) Parse(string[] args)
    {
        var given = new VirtFlowWorkerSettings();
        string? config = null;
        var verbosity = 0;
        var help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length || args[i + 1].Length == 0) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "-v" or "--verbose":
                    verbosity++;
                    break;
                case "-vv":
                    verbosity += 2;
                    break;
                case "--host-id":
                    given.HostId = Value();
                    break;
                case "--rabbitmq":
                    given.RabbitMq = Value();
                    break;
                case "--rabbitmq-ca":
                    given.RabbitMqCa = Path.GetFullPath(Value());
                    break;
                case "--vm":
                    given.Vms.Add(Value());
                    break;
                case "--storage-root":
                    var root = Value();
                    given.StorageRoots.Add(Path.IsPathRooted(root) ? root : Path.GetFullPath(root));
                    break;
                case "--allow-qmp":
                    given.AllowQmp.AddRange(Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "--lease":
                    given.Lease = Value();
                    break;
                case "--heartbeat":
                    given.HeartbeatInterval = Value();
                    break;
                case "--state-dir":
                    given.StateDir = Path.GetFullPath(Value());
                    break;
                case "--config":
                    config = Value();
                    break;
                case ['-', ..]:
                    throw new ArgumentException($"unknown option '{arg}'");
                default:
                    throw new ArgumentException($"unexpected argument '{arg}'");
            }
        }
        return (given, config, verbosity, help);
    }
}
