using VirtFlow.Hosting.Messaging.Broker;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow broker setup</c>: creates the vhost, the per-role users (server, one worker per host, client) with random
/// passwords and their permissions, and the queues and exchanges, through RabbitMQ's management HTTP API
/// (<see cref="BrokerSetup"/>); prints each role's connection URI once. Idempotent: existing users keep their password
/// (their URI is printed without it) unless <c>--rotate</c>.
/// </summary>
internal static class BrokerCommand
{
    private const string Usage =
        "usage: virtflow broker setup --rabbitmq ADMIN-URI --hosts H1,H2... [--vhost V] [--management URL] [--rotate]\n" +
        "  creates a vhost with one RabbitMQ user per role and the permissions each role needs, and nothing more:\n" +
        "    virtflow-server          everything in the vhost (the only one that can send commands to workers)\n" +
        "    virtflow-worker-H        reads its own queue virtflow-host-H, publishes host events and results only\n" +
        "    virtflow-client          publishes StartWorkflow and GetWorkflowStatus, reads its own temporary queues\n" +
        "  then declares the queues and exchanges, and prints each role's connection URI (with its new password) once\n" +
        "  --rabbitmq ADMIN-URI   an administrator's URI: amqp://admin:password@host:5672/ (its host and port go into the URIs)\n" +
        "  --hosts H1,H2          the host ids of the workers (comma-separated, repeatable)\n" +
        "  --vhost V              the vhost (default: the admin URI's, else 'virtflow')\n" +
        "  --management URL       the management HTTP API (default http://HOST:15672/; needs the rabbitmq_management plugin)\n" +
        "  --rotate               give existing users a new password (default: keep them, and print their URI without one)\n" +
        "  exit code: 0 done, 1 the broker refused or cannot be reached, 2 bad usage";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        BrokerSetupOptions options;
        try
        {
            var parsed = Parse(args);
            if (parsed is null)
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }
            options = parsed;
            options.Validate();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow broker: {RunHost.OneLine(e.Message)} (see virtflow broker setup --help)");
            return 2;
        }
        IReadOnlyList<BrokerRoleUser> users;
        try
        {
            users = await BrokerSetup.RunAsync(options, ct);
        }
        catch (BrokerSetupException e)
        {
            await stderr.WriteLineAsync($"virtflow broker setup: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("virtflow broker setup: interrupted");
            return 1;
        }
        await stdout.WriteLineAsync($"virtflow broker setup: vhost '{options.EffectiveVhost}' on {options.EffectiveManagementUri}");
        var width = users.Max(u => u.Role.Length);
        foreach (var user in users)
        {
            var note = user.State == "kept" ? "  (kept: existing password unchanged; --rotate for a new one)" : $"  ({user.State})";
            await stdout.WriteLineAsync($"{user.Role.PadRight(width)}  {user.Uri}{note}");
        }
        if (users.Any(u => u.State != "kept"))
            await stdout.WriteLineAsync("these passwords are shown once: give each URI to its role only (virtflow server/worker/start --rabbitmq URI)");
        return 0;
    }

    /// <summary>The options, or null for --help.</summary>
    private static BrokerSetupOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help") return null;
        if (args[0] != "setup") throw new ArgumentException($"unknown broker command '{args[0]}' (only: setup)");
        var options = new BrokerSetupOptions();
        for (var i = 1; i < args.Length; i++)
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
                    return null;
                case "--rabbitmq":
                    var text = Value();
                    options.AdminUri = Uri.TryCreate(text, UriKind.Absolute, out var admin) ? admin
                        : throw new ArgumentException("--rabbitmq: not a URI (amqp://admin:password@host:5672/)");
                    break;
                case "--hosts":
                    foreach (var host in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) options.Hosts.Add(host);
                    break;
                case "--vhost":
                    options.Vhost = Value();
                    break;
                case "--management":
                    var url = Value();
                    options.ManagementUri = Uri.TryCreate(url, UriKind.Absolute, out var management) ? management
                        : throw new ArgumentException($"--management '{url}' is not a URL");
                    break;
                case "--rotate":
                    options.Rotate = true;
                    break;
                default:
                    throw new ArgumentException(arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}'");
            }
        }
        return options;
    }
}
