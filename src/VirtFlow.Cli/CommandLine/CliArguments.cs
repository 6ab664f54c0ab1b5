using System.CommandLine;

namespace VirtFlow.Cli.CommandLine;

/// <summary>Positional arguments and validators shared by the verbs.</summary>
internal static class CliArguments
{
    /// <summary>
    /// A positional argument taking at most <paramref name="max"/> values (any number when null): a token that looks like an
    /// option is refused as <c>unknown option '--x'</c> (unless <paramref name="dashes"/>), one too many as
    /// <paramref name="tooMany"/>(values). A required one is added with <see cref="AddRequired"/>.
    /// </summary>
    public static Argument<string[]> Positional(string name, string description, int? max,
        Func<IReadOnlyList<string>, string>? tooMany = null, bool dashes = false)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        argument.Validators.Add(result =>
        {
            var values = result.Tokens.Select(t => t.Value).ToList();
            if (!dashes && values.FirstOrDefault(VirtFlowCli.IsOption) is { } option)
                result.AddError($"unknown option '{option}'");
            else if (max is { } most && values.Count > most)
                result.AddError(tooMany?.Invoke(values) ?? $"unexpected argument '{values[most]}'");
        });
        return argument;
    }

    /// <summary>Adds <paramref name="argument"/> to <paramref name="command"/>, refusing a command line without it with <paramref name="missing"/>.</summary>
    public static void AddRequired(Command command, Argument<string[]> argument, string missing)
    {
        command.Add(argument);
        command.Validators.Add(result =>
        {
            if (result.GetResult(argument) is not { Tokens.Count: > 0 }) result.AddError(missing);
        });
    }

    /// <summary>Refuses a value for which <paramref name="bad"/> holds, with <paramref name="message"/>(value).</summary>
    public static Option<T> Refuse<T>(Option<T> option, Func<string, bool> bad, Func<string, string> message)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.FirstOrDefault(t => bad(t.Value)) is { } token) r.AddError(message(token.Value));
        });
        return option;
    }
}
