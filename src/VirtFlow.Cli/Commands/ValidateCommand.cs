using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow validate FILE|DIR...</c>: parses and validates workflow files (a folder: every <c>*.yaml</c>,
/// <c>*.yml</c>, <c>*.json</c> inside, except under <c>schema/</c>). Problems are printed one per line as
/// <c>file:line:col: error: message</c>; a valid file prints <c>ok: FILE (name vN, K steps)</c>.
/// Exit code 0 when all are valid (warnings allowed), 1 when any has an error, 2 when a file cannot be
/// read, is refused by a limit (<see cref="WorkflowLimits"/>: not a regular file, too large, too many nodes after alias
/// expansion, nested too deep; one <c>file:line:col: error:</c> line on stderr) or no file was given. <c>--write-schema FILE</c> writes the JSON Schema of the workflow format.
/// </summary>
public static class ValidateCommand
{
    private const string Usage =
        "usage: virtflow validate [--quiet] [--write-schema SCHEMA.json] FILE|DIR...\n" +
        "  checks workflow files (folders: every *.yaml, *.yml, *.json inside, except under schema/)\n" +
        "  --quiet                 print only problems, not the ok: lines\n" +
        "  --write-schema FILE     write the JSON Schema of the workflow format to FILE\n" +
        LimitSettings.Help;

    /// <summary>Runs the verb with the CLI's activity catalog (<see cref="CliCatalog.Default"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        RunAsync(args, stdout, stderr, CliCatalog.Default, ct);

    /// <summary>Runs the verb; <paramref name="args"/> exclude the verb itself.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IActivityCatalog catalog, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(catalog);

        var paths = new List<string>();
        var quiet = false;
        string? schemaPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await stdout.WriteLineAsync(Usage);
                    return 0;
                case "-q" or "--quiet":
                    quiet = true;
                    break;
                case "--write-schema" when i + 1 < args.Length:
                    schemaPath = args[++i];
                    break;
                case "--write-schema":
                    await stderr.WriteLineAsync("virtflow validate: --write-schema needs a file name");
                    return 2;
                case ['-', _, ..] option:
                    await stderr.WriteLineAsync($"virtflow validate: unknown option '{option}' (see virtflow validate --help)");
                    return 2;
                default:
                    paths.Add(args[i]);
                    break;
            }
        }

        if (schemaPath is not null)
        {
            if (!await WriteSchemaAsync(schemaPath, catalog, stdout, stderr))
                return 2;
            if (paths.Count == 0)
                return 0;
        }

        if (paths.Count == 0)
        {
            await stderr.WriteLineAsync("virtflow validate: no files given (usage: virtflow validate FILE|DIR...)");
            return 2;
        }

        WorkflowLimits limits;
        try
        {
            limits = LimitSettings.FromEnvironment();
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow validate: {e.Message}");
            return 2;
        }

        var run = new ValidationRun(catalog, stdout, stderr, quiet, limits);
        return await run.ExecuteAsync(paths, ct);
    }

    private static async Task<bool> WriteSchemaAsync(string path, IActivityCatalog catalog, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            WorkflowSchemaGenerator.WriteFile(catalog, path);
            await stdout.WriteLineAsync($"wrote {path}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"virtflow validate: cannot write '{path}': {e.Message}");
            return false;
        }
    }
}
