using Serilog.Events;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Logging;

namespace VirtFlow.Cli.Commands;

/// <summary>Starts the embedded VirtFlow of run and resume from their options; reports a failure to start in one line.</summary>
internal static class RunHost
{
    /// <summary>The embedded process, or null after printing why it could not start (exit code in <paramref name="exitCode"/>).</summary>
    public static async Task<(EmbeddedVirtFlow? Host, int ExitCode)> StartAsync(
        RunArguments args, string storeSpec, IEnumerable<WorkflowDefinition> definitions, TextWriter stderr, string verb, CancellationToken ct)
    {
        var options = new EmbeddedVirtFlowOptions
        {
            StoreSpec = storeSpec,
            Logging = logging => logging.AddVirtFlowConsole(VirtFlowLogging.LevelFor(args.Verbosity)),
        };
        foreach (var vm in args.Vms) options.Vms.Add(vm);
        foreach (var root in args.StorageRoots) options.StorageRoots.Add(root);
        options.Worker = worker => { foreach (var command in args.AllowQmp) worker.AllowQmp.Add(command); };
        foreach (var definition in definitions) options.Definitions.Add(definition);
        try
        {
            return (await EmbeddedVirtFlow.StartAsync(options, ct), 0);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: interrupted while starting");
            return (null, 1);
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: {OneLine(e.Message)}");
            return (null, 2);
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: cannot start (store {Redacted(storeSpec)}): {OneLine(e.Message)}");
            return (null, 1);
        }
    }

    internal static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        var cut = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? line[..cut] : line;
    }

    internal static string Redacted(string spec) =>
        System.Text.RegularExpressions.Regex.Replace(spec, "(?i)(password|pwd)=[^;]*", "$1=***");

    /// <summary>Serilog's level for <c>-v</c> counts (also used by tests).</summary>
    internal static LogEventLevel Level(int verbosity) => VirtFlowLogging.LevelFor(verbosity);
}
