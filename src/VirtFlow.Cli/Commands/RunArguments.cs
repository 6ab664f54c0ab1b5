using System.CommandLine;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Hosting.Embedded;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow run</c>, <c>virtflow resume</c> and <c>virtflow plan FILE</c>, as parsed by the command line.</summary>
internal sealed class RunArguments
{
    public string? File { get; private init; }
    public List<RunInputs.Source> Inputs { get; private init; } = [];
    public List<VmSpec> Vms { get; private init; } = [];
    public List<string> StorageRoots { get; private init; } = [];
    public List<string> AllowQmp { get; private init; } = [];
    public string? Store { get; private init; }
    public string? InstanceId { get; private init; }
    public string? CorrelationId { get; private init; }
    public bool Json { get; private init; }
    public int Verbosity { get; private init; }

    /// <summary><c>run</c>'s own options: the workflow FILE, <c>--id</c>, <c>--correlation</c>.</summary>
    internal sealed class WorkflowOptions(Argument<string[]>? file = null)
    {
        public Argument<string[]> File { get; } = file ?? CliArguments.Positional("FILE", "the workflow file (.yaml, .yml, .json)", 1, files => $"one workflow file at a time ('{files[0]}', then '{files[1]}')");

        public Option<string?> Id { get; } = CliArguments.Refuse(new Option<string?>("--id")
        {
            HelpName = "ID",
            Description = "the instance's id (an unfinished instance with this id is continued, not started again)",
        }, v => v.Length == 0, _ => "--id needs a non-empty id");

        public Option<string?> Correlation { get; } = new("--correlation") { HelpName = "ID", Description = "the instance's correlation id" };
    }

    /// <summary>The embedded engine's options (<c>--store</c>, <c>--vm</c>, <c>--storage-root</c>, <c>--allow-qmp</c>, <c>--json</c>, <c>-v</c>).</summary>
    public static void AddTo(Command command, CliOptions shared)
    {
        command.Add(shared.Store);
        command.Add(shared.Vm);
        command.Add(shared.StorageRoot);
        command.Add(shared.AllowQmp);
        command.Add(shared.Json);
        command.Add(shared.Verbose);
        command.Add(shared.VeryVerbose);
    }

    /// <summary>The parsed values; <paramref name="workflow"/> (run, plan FILE) adds the FILE, its inputs, id and correlation.</summary>
    public static RunArguments From(ParseResult parsed, CliOptions shared, WorkflowOptions? workflow) => new()
    {
        File = workflow is null ? null : parsed.GetValue(workflow.File)?.FirstOrDefault(),
        Inputs = workflow is null ? [] : shared.InputSources(parsed),
        Vms = parsed.GetValue(shared.Vm) ?? [],
        StorageRoots = parsed.GetValue(shared.StorageRoot) ?? [],
        AllowQmp = parsed.GetValue(shared.AllowQmp) ?? [],
        Store = parsed.GetValue(shared.Store),
        InstanceId = workflow is null ? null : parsed.GetValue(workflow.Id),
        CorrelationId = workflow is null ? null : parsed.GetValue(workflow.Correlation),
        Json = parsed.GetValue(shared.Json),
        Verbosity = shared.Verbosity(parsed),
    };

    /// <summary>The store spec to open: the one given, or the default SQLite file (its folder created).</summary>
    public Task<string> StoreSpecAsync() => RunStore.ResolveAsync(Store);
}
