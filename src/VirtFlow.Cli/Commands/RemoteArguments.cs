using System.CommandLine;
using VirtFlow.Cli.CommandLine;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The options of the remote verbs (<c>list</c>, <c>status</c>, <c>watch</c>, <c>cancel</c>, <c>retry</c>, <c>schedules</c>), as
/// parsed by the command line: the connection (<c>--server</c>, <c>--api-key</c>, or env), the positional values, the
/// options passed on to the server as they are (<see cref="Filters"/>).
/// </summary>
internal sealed class RemoteArguments
{
    public required Uri Server { get; init; }
    public required string ApiKey { get; init; }
    public List<string> Positional { get; private init; } = [];
    public Dictionary<string, string> Filters { get; private init; } = new(StringComparer.Ordinal);
    public string? FromStep { get; private init; }
    public string? Reason { get; private init; }

    /// <summary><c>retry --input NAME=VALUE</c>: inputs changed for the retry.</summary>
    public System.Text.Json.Nodes.JsonObject RetryInputs { get; } = [];
    public bool Json { get; private init; }
    public int Verbosity { get; private init; }

    /// <summary>A <c>--NAME VALUE</c> option whose value goes to the server as it is, under NAME.</summary>
    public static Option<string?> Passed(string name, string helpName, string description) =>
        CliOptions.NonEmpty(new Option<string?>("--" + name) { HelpName = helpName, Description = description });

    /// <summary>The remote verbs' common options: <c>--server</c>, <c>--api-key</c>, <c>--json</c>, <c>-v</c>.</summary>
    public static void AddTo(Command command, CliOptions shared)
    {
        command.Add(shared.Server);
        command.Add(shared.ApiKey);
        command.Add(shared.Json);
        command.Add(shared.Verbose);
        command.Add(shared.VeryVerbose);
    }

    /// <summary>The parsed values.</summary>
    /// <exception cref="RunUsageException">No server or key (neither option nor env), or a bad <c>--input</c>.</exception>
    public static RemoteArguments From(ParseResult parsed, CliOptions shared, Argument<string[]>? positional,
        IEnumerable<Option<string?>> filters, Option<string?>? from = null, Option<string?>? reason = null, bool retryInputs = false)
    {
        var (server, key) = shared.Connection(parsed);
        var arguments = new RemoteArguments
        {
            Server = server,
            ApiKey = key,
            Positional = positional is null ? [] : [.. parsed.GetValue(positional) ?? []],
            Filters = filters.Where(f => parsed.GetValue(f) is not null).ToDictionary(f => f.Name[2..], f => parsed.GetValue(f)!, StringComparer.Ordinal),
            FromStep = from is null ? null : parsed.GetValue(from),
            Reason = reason is null ? null : parsed.GetValue(reason),
            Json = parsed.GetValue(shared.Json),
            Verbosity = shared.Verbosity(parsed),
        };
        if (retryInputs)
        {
            foreach (var text in parsed.GetValue(shared.Input) ?? [])
            {
                var (input, value) = RunInputs.ReadPair(text);
                arguments.RetryInputs[input] = value;
            }
        }
        return arguments;
    }
}
