using System.CommandLine;
using System.CommandLine.Parsing;
using VirtFlow.Cli.Commands;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Cli.CommandLine;

/// <summary>
/// The options several verbs share, declared once for one command tree and added to each verb that takes them
/// (<c>--store</c>, <c>--server</c>/<c>--api-key</c>, <c>--json</c>, <c>-v</c>, <c>--input</c>/<c>--inputs</c>, <c>--vm</c>,
/// <c>--storage-root</c>, <c>--allow-qmp</c>, <c>--rabbitmq</c>, <c>--rabbitmq-ca</c>). A bad value is refused by the option's
/// own parser with one message naming the option.
/// </summary>
internal sealed class CliOptions
{
    public Option<string?> Store { get; } = new("--store")
    {
        HelpName = "SPEC",
        Description = "where instances live: sqlite:PATH | postgres:CONNSTRING | memory: "
            + "(run, resume, event, plan: default sqlite:$VIRTFLOW_HOME/virtflow.db, else ~/.local/share/virtflow/virtflow.db)",
    };

    public Option<bool> Json { get; } = Flag("--json", "print JSON instead of text");

    /// <summary><c>-v</c>, <c>--verbose</c>: counted (each one more detail); <see cref="VeryVerbose"/> counts two.</summary>
    public Option<bool> Verbose { get; } = Flag("--verbose", "log more to stderr (-vv: debug or everything, with stack traces)", "-v");

    public Option<bool> VeryVerbose { get; } = new("-vv") { Arity = ArgumentArity.Zero, Hidden = true };

    /// <summary><c>--server URL</c>; env <c>VIRTFLOW_SERVER</c> when absent (applied by the verb: see <see cref="Connection"/>).</summary>
    public Option<Uri?> Server { get; } = new("--server")
    {
        HelpName = "URL",
        Description = "the server's HTTP API (default: env VIRTFLOW_SERVER)",
        CustomParser = r => HttpUrl(r, r.Tokens[^1].Value),
    };

    public Option<string?> ApiKey { get; } = NonEmpty(new Option<string?>("--api-key")
    {
        HelpName = "KEY",
        Description = "an API key (default: env VIRTFLOW_API_KEY); viewer for reads, operator for starts, cancels, retries, dry runs",
    });

    public Option<string[]> Input { get; } = new("--input")
    {
        HelpName = "NAME=VALUE",
        Description = "an input; VALUE is JSON when it parses (42, true, [\"vda\"], {...}), else text; NAME=@FILE reads VALUE from FILE, "
            + "NAME=@@x is the text @x (repeatable)",
    };

    public Option<string[]> Inputs { get; } = new("--inputs")
    {
        HelpName = "FILE.json",
        Description = "inputs from a JSON object; later --input/--inputs override earlier ones",
    };

    public Option<List<VmSpec>> Vm { get; } = new("--vm")
    {
        HelpName = "NAME=qmp:PATH[,qga:PATH]",
        Description = "a VM the worker serves: its name, QMP monitor and guest-agent socket (repeatable)",
        CustomParser = ParseVms,
    };

    public Option<List<string>> StorageRoot { get; } = new("--storage-root")
    {
        HelpName = "DIR",
        Description = "mirror targets (and every host path the worker opens) must lie under DIR (repeatable)",
        CustomParser = ParseStorageRoots,
    };

    public Option<List<string>> AllowQmp { get; } = new("--allow-qmp")
    {
        HelpName = "NAME[,NAME]",
        Description = "a QMP command vm.qmp may run beyond query-* (repeatable or comma-separated; * for all that stay inside QEMU; "
            + "migrate*, screendump, blockdev-add ... only by name, warned about at start)",
        CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))],
    };

    public Option<BusTransport?> RabbitMq { get; } = new("--rabbitmq")
    {
        HelpName = "URI",
        Description = "the broker: rabbitmq://user:password@host:5672/vhost (or amqp://, amqps://)",
        CustomParser = r => Usage(r, () => ServerArguments.RabbitMqOption(r.Tokens[^1].Value)),
    };

    public Option<string?> RabbitMqCa { get; } = new("--rabbitmq-ca")
    {
        HelpName = "FILE",
        Description = "PEM CA certificate(s) the broker's TLS certificate must chain to (amqps:// only)",
    };

    /// <summary>How many <c>-v</c> were given (<c>-vv</c> counts two).</summary>
    public int Verbosity(ParseResult parsed) =>
        (parsed.GetResult(Verbose)?.IdentifierTokenCount ?? 0) + 2 * (parsed.GetResult(VeryVerbose)?.IdentifierTokenCount ?? 0);

    /// <summary>
    /// <c>--input</c> and <c>--inputs</c> in the order given on the command line (a later one overrides an earlier one).
    /// </summary>
    public List<RunInputs.Source> InputSources(ParseResult parsed)
    {
        var sources = new List<RunInputs.Source>();
        string? pending = null;
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.Option)
            {
                pending = Input.Name == token.Value || Inputs.Name == token.Value ? token.Value : null;
                continue;
            }
            if (pending is null || token.Type != TokenType.Argument) continue;
            sources.Add(pending == Input.Name ? new RunInputs.Pair(token.Value) : new RunInputs.File(token.Value));
            pending = null;
        }
        return sources;
    }

    /// <summary>
    /// The server and key of a remote verb: the options, else env <c>VIRTFLOW_SERVER</c> and <c>VIRTFLOW_API_KEY</c>.
    /// </summary>
    /// <exception cref="RunUsageException">Neither given, or the env's server is not an http(s) URL.</exception>
    public (Uri Server, string ApiKey) Connection(ParseResult parsed)
    {
        var server = parsed.GetValue(Server);
        if (server is null)
        {
            var env = Environment.GetEnvironmentVariable("VIRTFLOW_SERVER");
            if (string.IsNullOrWhiteSpace(env)) throw new RunUsageException("--server URL is required (or env VIRTFLOW_SERVER)");
            server = HttpUrl(env);
        }
        var key = parsed.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("VIRTFLOW_API_KEY");
        if (string.IsNullOrWhiteSpace(key)) throw new RunUsageException("--api-key KEY is required (or env VIRTFLOW_API_KEY)");
        return (server, key.Trim());
    }

    /// <summary><paramref name="text"/> as an http:// or https:// URL.</summary>
    /// <exception cref="RunUsageException">It is not one (naming <c>--server</c>).</exception>
    public static Uri HttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new RunUsageException($"--server '{text}' is not an http:// or https:// URL");

    /// <summary>A flag: no value (<c>--json true</c> is not taken as its value).</summary>
    public static Option<bool> Flag(string name, string description, params string[] aliases) =>
        new(name, aliases) { Arity = ArgumentArity.Zero, Description = description };

    /// <summary>Adds a validator refusing an empty value: <c>--name needs a value</c>.</summary>
    public static Option<T> NonEmpty<T>(Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.Tokens.Any(t => t.Value.Length == 0)) r.AddError($"{r.IdentifierToken?.Value ?? option.Name} needs a value");
        });
        return option;
    }

    /// <summary>
    /// Runs <paramref name="parse"/> for an option's custom parser: a <see cref="RunUsageException"/> becomes the option's
    /// parse error (its message names the option).
    /// </summary>
    public static T? Usage<T>(ArgumentResult result, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (RunUsageException e)
        {
            result.AddError(e.Message);
            return default;
        }
    }

    private static Uri? HttpUrl(ArgumentResult result, string text) => Usage(result, () => HttpUrl(text));

    private static List<VmSpec> ParseVms(ArgumentResult result)
    {
        var vms = new List<VmSpec>();
        foreach (var token in result.Tokens)
        {
            if (!VmSpec.TryParse(token.Value, out var vm, out var error))
            {
                result.AddError($"--vm: {error}");
                return vms;
            }
            if (vms.Any(v => v.Name == vm.Name))
            {
                result.AddError($"--vm: VM '{vm.Name}' is given twice");
                return vms;
            }
            vms.Add(vm);
        }
        return vms;
    }

    private static List<string> ParseStorageRoots(ArgumentResult result)
    {
        var roots = new List<string>();
        foreach (var token in result.Tokens)
        {
            string full;
            try
            {
                full = Path.GetFullPath(token.Value);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                full = "";
            }
            if (full.Length == 0 || !Path.IsPathFullyQualified(full))
            {
                result.AddError($"--storage-root '{token.Value}' is not a folder path");
                return roots;
            }
            roots.Add(full);
        }
        return roots;
    }
}
