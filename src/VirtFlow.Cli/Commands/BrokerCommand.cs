using System.CommandLine;
using VirtFlow.Cli.CommandLine;
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
    private const string Description =
        "Sets up RabbitMQ for VirtFlow: creates a vhost with one RabbitMQ user per role and the permissions each role needs, and "
        + "nothing more: virtflow-server (everything in the vhost; the only one that can send commands to workers), "
        + "virtflow-worker-H (reads its own queue virtflow-host-H, publishes host events and results only), virtflow-client "
        + "(publishes StartWorkflow and GetWorkflowStatus, reads its own temporary queues); then declares the queues and exchanges, "
        + "and prints each role's connection URI (with its new password) once.\n"
        + "exit code: 0 done, 1 the broker refused or cannot be reached, 2 bad usage";

    /// <summary>The verb and its one action, <c>setup</c>, its options declared.</summary>
    public static Command Create()
    {
        var admin = new Option<Uri?>("--rabbitmq")
        {
            HelpName = "ADMIN-URI",
            Description = "an administrator's URI: amqp://admin:password@host:5672/ (its host and port go into the URIs); required",
            CustomParser = r => Uri.TryCreate(r.Tokens[^1].Value, UriKind.Absolute, out var uri) ? uri
                : CliOptions.Usage<Uri?>(r, () => throw new RunUsageException("--rabbitmq: not a URI (amqp://admin:password@host:5672/)")),
        };
        var hosts = new Option<List<string>>("--hosts")
        {
            HelpName = "H1,H2",
            Description = "the host ids of the workers (comma-separated, repeatable)",
            CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        };
        var vhost = CliOptions.NonEmpty(new Option<string?>("--vhost") { HelpName = "V", Description = "the vhost (default: the admin URI's, else 'virtflow')" });
        var management = new Option<Uri?>("--management")
        {
            HelpName = "URL",
            Description = "the management HTTP API (default http://HOST:15672/; needs the rabbitmq_management plugin)",
            CustomParser = r => Uri.TryCreate(r.Tokens[^1].Value, UriKind.Absolute, out var uri) ? uri
                : CliOptions.Usage<Uri?>(r, () => throw new RunUsageException($"--management '{r.Tokens[^1].Value}' is not a URL")),
        };
        var rotate = CliOptions.Flag("--rotate", "give existing users a new password (default: keep them, and print their URI without one)");
        var setup = new Command("setup", "create the vhost, the users of each role, their permissions, the queues and exchanges")
        {
            admin, hosts, vhost, management, rotate,
        };
        VirtFlowCli.SetVerbAction(setup, (parsed, stdout, stderr, ct) =>
        {
            var options = new BrokerSetupOptions
            {
                AdminUri = parsed.GetValue(admin),
                Vhost = parsed.GetValue(vhost),
                ManagementUri = parsed.GetValue(management),
                Rotate = parsed.GetValue(rotate),
            };
            foreach (var host in parsed.GetValue(hosts) ?? []) options.Hosts.Add(host);
            return RunAsync(options, stdout, stderr, ct);
        });
        return new Command("broker", Description) { setup };
    }

    /// <summary>Runs <c>virtflow broker ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["broker", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(BrokerSetupOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow broker setup: {RunHost.OneLine(e.Message)} (see virtflow broker setup --help)");
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
}
