using VirtFlow.Hosting.Embedded;

namespace VirtFlow.Cli.Commands;

/// <summary>The options of <c>virtflow run</c> and <c>virtflow resume</c>, parsed.</summary>
internal sealed class RunArguments
{
    public string? File { get; private set; }
    public List<RunInputs.Source> Inputs { get; } = [];
    public List<VmSpec> Vms { get; } = [];
    public List<string> StorageRoots { get; } = [];
    public List<string> AllowQmp { get; } = [];
    public string? Store { get; private set; }
    public string? InstanceId { get; private set; }
    public string? CorrelationId { get; private set; }
    public bool Json { get; private set; }
    public int Verbosity { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="takesWorkflow"/> when a FILE and inputs are expected (run).</summary>
    /// <exception cref="RunUsageException">Bad usage, naming the flag.</exception>
    public static RunArguments Parse(string[] args, bool takesWorkflow)
    {
        var parsed = new RunArguments();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Length) throw new RunUsageException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help":
                    parsed.Help = true;
                    break;
                case "--json":
                    parsed.Json = true;
                    break;
                case "-v" or "--verbose":
                    parsed.Verbosity++;
                    break;
                case "-vv":
                    parsed.Verbosity += 2;
                    break;
                case "--store":
                    parsed.Store = Value();
                    break;
                case "--vm":
                    var text = Value();
                    if (!VmSpec.TryParse(text, out var vm, out var error)) throw new RunUsageException($"--vm: {error}");
                    if (parsed.Vms.Any(v => v.Name == vm.Name)) throw new RunUsageException($"--vm: VM '{vm.Name}' is given twice");
                    parsed.Vms.Add(vm);
                    break;
                case "--storage-root":
                    var root = Value();
                    if (!Path.IsPathFullyQualified(Path.GetFullPath(root))) throw new RunUsageException($"--storage-root '{root}' is not a folder path");
                    parsed.StorageRoots.Add(Path.GetFullPath(root));
                    break;
                case "--allow-qmp":
                    parsed.AllowQmp.AddRange(Value().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "--input" when takesWorkflow:
                    parsed.Inputs.Add(new RunInputs.Pair(Value()));
                    break;
                case "--inputs" when takesWorkflow:
                    parsed.Inputs.Add(new RunInputs.File(Value()));
                    break;
                case "--id" when takesWorkflow:
                    parsed.InstanceId = Value();
                    if (parsed.InstanceId.Length == 0) throw new RunUsageException("--id needs a non-empty id");
                    break;
                case "--correlation" when takesWorkflow:
                    parsed.CorrelationId = Value();
                    break;
                case ['-', _, ..]:
                    throw new RunUsageException($"unknown option '{arg}'");
                default:
                    if (!takesWorkflow) throw new RunUsageException($"unexpected argument '{arg}'");
                    if (parsed.File is not null) throw new RunUsageException($"one workflow file at a time ('{parsed.File}', then '{arg}')");
                    parsed.File = arg;
                    break;
            }
        }
        if (takesWorkflow && parsed.File is null && !parsed.Help) throw new RunUsageException("no workflow file given");
        return parsed;
    }

    /// <summary>The store spec to open: the one given, or the default SQLite file (its folder created).</summary>
    public Task<string> StoreSpecAsync() => RunStore.ResolveAsync(Store);
}
