using Serilog.Events;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Logging;

namespace VirtFlow.Cli.Commands;

/// <summary>Starts the embedded VirtFlow of run and resume from their options; reports a failure to start in one line.</summary>
internal static class RunHost
{
    /// <summary>The embedded process, or null after printing why it could not start (then the exit code is the second item).</summary>
    public static async Task<(EmbeddedVirtFlow? Host, int ExitCode)> StartAsync(
        RunArguments args, string storeSpec, IEnumerable<WorkflowDefinition> definitions, TextWriter stderr, string verb, CancellationToken ct)
    {
        var options = new EmbeddedVirtFlowOptions
        {
            StoreSpec = storeSpec,
            Logging = logging => logging.AddVirtFlowConsole(VirtFlowLogging.LevelFor(args.Verbosity), VirtFlowLogging.StackTracesFor(args.Verbosity)),
        };
        foreach (var vm in args.Vms) options.Vms.Add(vm);
        foreach (var root in args.StorageRoots) options.StorageRoots.Add(root);
        options.Worker = worker => { foreach (var command in args.AllowQmp) worker.AllowQmp.Add(command); };
        foreach (var definition in definitions) options.Definitions.Add(definition);
        try
        {
            options.Engine = LimitSettings.WithInputLimit(options.Engine);
            return (await EmbeddedVirtFlow.StartAsync(options, ct), 0);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: interrupted while starting");
            return (null, 1);
        }
        catch (Exception e) when (e is ArgumentException or RunUsageException)
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

    /// <summary>
    /// An error message for one line of output: line breaks as spaces, without .NET's <c>(Parameter '...')</c>, secrets
    /// hidden, control characters escaped, bounded (<see cref="TerminalText.Safe"/>).
    /// </summary>
    internal static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        var cut = line.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return TerminalText.Safe(cut > 0 ? line[..cut] : line, TerminalText.LongMaxLength);
    }

    /// <summary>A store spec or broker URI for output: its password hidden (<see cref="SecretRedactor.RedactConnectionString"/>), escaped.</summary>
    internal static string Redacted(string spec) =>
        TerminalText.Escape(SecretRedactor.RedactConnectionString(spec));

    /// <summary>Serilog's level for <c>-v</c> counts (also used by tests).</summary>
    internal static LogEventLevel Level(int verbosity) => VirtFlowLogging.LevelFor(verbosity);
}
