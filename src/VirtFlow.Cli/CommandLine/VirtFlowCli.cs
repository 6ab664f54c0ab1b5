using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using VirtFlow.Cli.Commands;

namespace VirtFlow.Cli.CommandLine;

/// <summary>
/// The one command line of <c>virtflow</c> (System.CommandLine): a root command with every verb as a subcommand, help
/// generated from their declarations (<c>virtflow --help</c>, <c>virtflow run --help</c>). Bad usage, from the parser or
/// a verb's own checks, is one line on stderr, <c>virtflow VERB: what is wrong (see virtflow VERB --help)</c>, and exit
/// code <see cref="UsageExitCode"/>; every other exit code is the verb's.
/// </summary>
internal static class VirtFlowCli
{
    /// <summary>The exit code of bad usage: an unknown verb or option, a missing or bad value.</summary>
    public const int UsageExitCode = 2;

    private const string RootDescription =
        "VirtFlow: event-driven workflows that move VM disks. Each verb has its own help: virtflow VERB --help.";

    /// <summary>The command tree (a new one per call: the options are shared between its verbs only).</summary>
    public static RootCommand Create()
    {
        var shared = new CliOptions();
        var root = new RootCommand(RootDescription) { HelpName = "virtflow" };
        // -h and --help only (not /h, /?, -?): a path such as /h stays a value.
        for (var i = 0; i < root.Options.Count; i++)
            if (root.Options[i] is HelpOption) root.Options[i] = new HelpOption("--help", "-h");
        root.Add(QmpCommand.Create());
        root.Add(DemoCommand.Create());
        root.Add(ValidateCommand.Create());
        root.Add(RunCommand.Create(shared));
        root.Add(ResumeCommand.Create(shared));
        root.Add(EventCommand.Create(shared));
        root.Add(PublishCommand.Create(shared));
        root.Add(ServerCommand.Create(shared));
        root.Add(WorkerCommand.Create(shared));
        root.Add(StartCommand.Create(shared));
        foreach (var verb in RemoteCommand.Verbs) root.Add(RemoteCommand.Create(verb, shared));
        root.Add(SchedulesCommand.Create(shared));
        root.Add(PlanCommand.Create(shared));
        root.Add(BrokerCommand.Create());
        root.Add(KeysCommand.Create(shared));
        var help = new Command("help", "show this help") { Hidden = true };
        help.SetAction((r, _) => WriteHelpAsync(r.InvocationConfiguration.Output));
        root.Add(help);
        LastOneWins(root);
        return root;
    }

    /// <summary>
    /// An option of one value may be given again: the last one counts, as in most command lines (a wrapper script's default
    /// overridden by its caller). Each value is still checked by the option's parser and validators.
    /// </summary>
    private static void LastOneWins(Command command)
    {
        foreach (var option in command.Options.Where(o => o.Arity.Equals(ArgumentArity.ExactlyOne)))
        {
            option.Arity = ArgumentArity.OneOrMore;
            option.Validators.Add(r =>
            {
                if (r.IdentifierTokenCount > r.Tokens.Count) r.AddError($"{r.IdentifierToken?.Value ?? option.Name} needs a value");
            });
            if (option is Option<string?> { CustomParser: null } text) text.CustomParser = r => r.Tokens[^1].Value;
        }
        foreach (var verb in command.Subcommands) LastOneWins(verb);
    }

    /// <summary>Parses <paramref name="args"/> (the verb first) the way the executable does, with no response files.</summary>
    public static ParseResult Parse(IReadOnlyList<string> args) =>
        Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>
    /// Runs the command line <paramref name="args"/> (the verb first): its help, its usage error, or its verb with
    /// <paramref name="ct"/> (Ctrl-C and SIGTERM are <see cref="ProcessSignals"/>' business, not the parser's).
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parsed = Parse(args);
        if (parsed.Action is not HelpAction && parsed.Errors.Count > 0)
            return await UsageErrorAsync(parsed, stderr);
        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, ct);
    }

    /// <summary>The command's action: binds the parse result, then runs the verb; a <see cref="RunUsageException"/> is bad usage.</summary>
    public static void SetVerbAction(Command command, Func<ParseResult, TextWriter, TextWriter, CancellationToken, Task<int>> verb) =>
        command.SetAction(async (parsed, ct) =>
        {
            var stdout = parsed.InvocationConfiguration.Output;
            var stderr = parsed.InvocationConfiguration.Error;
            try
            {
                return await verb(parsed, stdout, stderr, ct);
            }
            catch (RunUsageException e)
            {
                await WriteUsageErrorAsync(parsed.CommandResult.Command, e.Message, stderr);
                return UsageExitCode;
            }
        });

    /// <summary>The usage line of a verb, <c>virtflow list</c> or <c>virtflow keys create</c>.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c && s is not RootCommand; s = s.Parents.FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(' ', ["virtflow", .. names]);
    }

    private static async Task<int> UsageErrorAsync(ParseResult parsed, TextWriter stderr)
    {
        var command = parsed.CommandResult.Command;
        if (command is RootCommand)
        {
            await stderr.WriteLineAsync(parsed.UnmatchedTokens.Count == 0 && parsed.Tokens.Count == 0
                ? "usage: virtflow VERB [options]"
                : parsed.UnmatchedTokens.FirstOrDefault() is { } token && !IsOption(token)
                    ? $"virtflow: unknown verb '{token}'"
                    : $"virtflow: {Message(parsed)}");
            await WriteHelpAsync(stderr);
            return UsageExitCode;
        }
        await WriteUsageErrorAsync(command, Message(parsed), stderr);
        return UsageExitCode;
    }

    private static async Task WriteUsageErrorAsync(Command command, string message, TextWriter stderr)
    {
        if (command is QmpCommand.Verb qmp)
        {
            await qmp.WriteUsageErrorAsync(message, stderr);
            return;
        }
        var path = PathOf(command);
        await stderr.WriteLineAsync($"{path}: {RunHost.OneLine(message)} (see {path} --help)");
    }

    /// <summary>The first problem of a command line, in the words the verbs use.</summary>
    private static string Message(ParseResult parsed)
    {
        if (parsed.UnmatchedTokens.FirstOrDefault(IsOption) is { } option) return $"unknown option '{option}'";
        if (parsed.CommandResult.Command is { Action: null, Subcommands.Count: > 0 } group)
        {
            var actions = string.Join(", ", group.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            return parsed.UnmatchedTokens.FirstOrDefault() is { } action ? $"unknown action '{action}' ({actions})" : $"which action: {actions}";
        }
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } argument) return $"unexpected argument '{argument}'";
        var error = parsed.Errors[0];
        if (error.SymbolResult is OptionResult { Tokens.Count: 0 } given && given.Option.Arity.MinimumNumberOfValues > 0)
            return $"{given.IdentifierToken?.Value ?? given.Option.Name} needs a value";
        return error.Message;
    }

    /// <summary>A token that is an option's name (<c>-x</c>, <c>--x</c>), not a value such as <c>-</c> or <c>-5</c>.</summary>
    public static bool IsOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    /// <summary>The generated help of the root command (the verbs) to <paramref name="output"/>.</summary>
    private static Task<int> WriteHelpAsync(TextWriter output) =>
        Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output, ProcessTerminationTimeout = null });
}
