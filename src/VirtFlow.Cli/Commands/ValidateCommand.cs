using System.CommandLine;
using VirtFlow.Cli.CommandLine;
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
    private const string Description =
        "Checks workflow files (folders: every *.yaml, *.yml, *.json inside, except under schema/): every mistake as "
        + "file:line:col: error: message; a valid file prints ok: FILE (name vN, K steps).\n"
        + "exit code: 0 all valid (warnings allowed), 1 any has an error, 2 a file cannot be read or is refused by a limit, or no file given\n"
        + LimitSettings.Help;

    /// <summary>The verb, its options declared.</summary>
    internal static Command Create()
    {
        var paths = CliArguments.Positional("FILE|DIR", "workflow files, or folders of them", max: null);
        var quiet = CliOptions.Flag("--quiet", "print only problems, not the ok: lines", "-q");
        var schema = new Option<string?>("--write-schema") { HelpName = "SCHEMA.json", Description = "write the JSON Schema of the workflow format to FILE" };
        var command = new Command("validate", Description) { paths, quiet, schema };
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
            RunAsync([.. parsed.GetValue(paths) ?? []], parsed.GetValue(quiet), parsed.GetValue(schema), stdout, stderr, CliCatalog.Default, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow validate ARGS</c> through the command line, with the CLI's activity catalog (<see cref="CliCatalog.Default"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["validate", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(List<string> paths, bool quiet, string? schemaPath, TextWriter stdout, TextWriter stderr, IActivityCatalog catalog, CancellationToken ct)
    {
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
