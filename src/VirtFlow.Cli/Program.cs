using VirtFlow.Cli.Commands;

// Minimal verb dispatcher: args[0] is the verb, the rest goes to its RunAsync(args, stdout, stderr, ct).
// Ctrl-C and SIGTERM cancel the token; a verb decides what cancellation means (qmp --events exits 0). A verb that has not
// finished 4 s after the signal, or a second signal, ends the process: exit 130 (SIGINT) or 143 (SIGTERM), see ProcessSignals.
using var cts = new CancellationTokenSource();
using var signals = VirtFlow.Cli.ProcessSignals.Install(cts, Console.Error);

const string usage = "usage: virtflow <verb> [options]\nverbs:\n  qmp    run a QMP command or stream QMP events (virtflow qmp --help)\n  demo   the main job, live on the tiny real guest: its disks moved while it writes, its writes checked on the copies\n         [--qmp: the same by hand over QMP] [--guest DIR: the guest built by ./build.sh demo] [--keep]"
    + "\n  validate check workflow files: every mistake as file:line:col (virtflow validate --help)"
    + "\n  run    run a workflow to the end in this process (virtflow run --help)"
    + "\n  resume continue every unfinished instance of a store after a crash (virtflow resume --help)"
    + "\n  event  queue an event for waiting instances (virtflow event --help)"
    + "\n  publish publish a message to a workflow's message trigger, as any AMQP producer (virtflow publish --help)"
    + "\n  server run the engine on a shared store and RabbitMQ (virtflow server --help)"
    + "\n  worker serve a hypervisor host's VMs for the servers, over RabbitMQ (virtflow worker --help)"
    + "\n  start  start a workflow on a server by message, optionally following it (virtflow start --help)"
    + "\n  list   instances on a server, over its HTTP API (also: status ID, watch ID, cancel ID, retry ID; virtflow list --help)"
    + "\n  schedules list, pause, resume, trigger or backfill the schedules on a server (virtflow schedules --help)"
    + "\n  plan   the dry run of a start on a server: what the host's worker finds and why a run would fail (virtflow plan --help)"
    + "\n  broker set up RabbitMQ: a vhost, one user per role, their permissions (virtflow broker setup --help)"
    + "\n  keys   create, list and revoke the HTTP API's keys in a store (virtflow keys --help)";

if (args.Length == 0)
{
    await Console.Error.WriteLineAsync(usage);
    return 2;
}

switch (args[0])
{
    case "qmp":
        return await QmpCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "demo":
        return await DemoCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "validate":
        return await ValidateCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "run":
        return await RunCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "resume":
        return await ResumeCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "publish":
        return await PublishCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "event":
        return await EventCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "worker":
        return await WorkerCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "server":
        return await ServerCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "start":
        return await StartCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "broker":
        return await BrokerCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "keys":
        return await KeysCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "plan":
        return await PlanCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "schedules":
        return await SchedulesCommand.RunAsync(args[1..], Console.Out, Console.Error, cts.Token);
    case "list" or "status" or "watch" or "cancel" or "retry":
        return await RemoteCommand.RunAsync(args[0], args[1..], Console.Out, Console.Error, cts.Token);
    case "-h" or "--help" or "help":
        await Console.Out.WriteLineAsync(usage);
        return 0;
    default:
        await Console.Error.WriteLineAsync($"virtflow: unknown verb '{args[0]}'");
        await Console.Error.WriteLineAsync(usage);
        return 2;
}
