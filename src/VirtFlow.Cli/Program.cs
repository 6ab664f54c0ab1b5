using VirtFlow.Cli.CommandLine;

// One command line (VirtFlowCli): the verb and its options parsed by System.CommandLine, help generated, bad usage exit 2.
// Ctrl-C and SIGTERM cancel the token; a verb decides what cancellation means (qmp --events exits 0). A verb that has not
// finished 4 s after the signal, or a second signal, ends the process: exit 130 (SIGINT) or 143 (SIGTERM), see ProcessSignals.
using var cts = new CancellationTokenSource();
using var signals = VirtFlow.Cli.ProcessSignals.Install(cts, Console.Error);
return await VirtFlowCli.InvokeAsync(args, Console.Out, Console.Error, cts.Token);
