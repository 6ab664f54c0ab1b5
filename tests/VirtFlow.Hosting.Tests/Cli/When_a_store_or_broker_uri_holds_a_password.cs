using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Cli;

/// <summary>
/// The real <c>virtflow</c> processes given a store or broker whose password is in the spec, where nothing listens: they
/// fail in one line naming the store or broker, and never print the password (stdout, stderr, logs at any verbosity).
/// </summary>
public sealed class When_a_store_or_broker_uri_holds_a_password
{
    private static readonly TimeSpan Exit = TimeSpan.FromMinutes(2);

    /// <summary>A store spec, and the pieces of its password that must never show (separated by '|').</summary>
    public static TheoryData<string, string> Stores => new()
    {
        { "postgres:Host=127.0.0.1;Port=1;Username=u;Password=\"a;b\"", "a;b|;b\"" },
        { "postgres:Host=127.0.0.1;Port=1;Username=u;Password='s3cr;3t'", "s3cr|;3t" },
        { "postgres:Host=127.0.0.1;Port=1;Username=u;Password=secret", "secret" },
        { "postgresql://user:secret@127.0.0.1:1/db", "secret" },
    };

    private static async Task<string> HelloAsync()
    {
        var file = Path.Combine(TestDirs.Create("run"), "hello.yaml");
        await File.WriteAllTextAsync(file, "name: hello\nsteps:\n  - type: log\n    with: { message: hi }\n");
        return file;
    }

    private static void AssertHidden((int Code, string Stdout, string Stderr) run, string secret)
    {
        var all = run.Stdout + run.Stderr;
        Assert.True(run.Code == 1, $"exit {run.Code}\n{all}");
        foreach (var piece in secret.Split('|')) Assert.DoesNotContain(piece, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.Contains("***", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Run_never_prints_it(string store, string secret)
    {
        var file = await HelloAsync();

        AssertHidden(await VirtFlowProcess.RunAsync(Exit, "run", file, "--store", store), secret);
        AssertHidden(await VirtFlowProcess.RunAsync(Exit, "run", file, "--store", store, "-vv"), secret);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Resume_never_prints_it(string store, string secret) =>
        AssertHidden(await VirtFlowProcess.RunAsync(Exit, "resume", "--store", store, "-vv"), secret);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Event_never_prints_it(string store, string secret) =>
        AssertHidden(await VirtFlowProcess.RunAsync(Exit, "event", "--store", store, "--key", "k"), secret);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Server_never_prints_it_nor_the_broker_password(string store, string secret)
    {
        var run = await VirtFlowProcess.RunAsync(Exit, "server", "--rabbitmq", "amqp://u:brokersecret@127.0.0.1:1/", "--store", store,
            "--workflows", TestDirs.Create("workflows"), "-vv");

        AssertHidden(run, secret);
        Assert.DoesNotContain("brokersecret", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_spec_of_no_known_form_is_named_without_its_password()
    {
        var run = await VirtFlowProcess.RunAsync(Exit, "run", await HelloAsync(), "--store", "mysql://user:secret@127.0.0.1:1/db");

        Assert.True(run.Code == 2, $"exit {run.Code}\n{run.Stdout}{run.Stderr}");
        Assert.Contains("mysql://user:***@127.0.0.1:1/db", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }
}
