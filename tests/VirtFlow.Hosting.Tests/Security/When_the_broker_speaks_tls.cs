using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// <c>amqps://</c> with <c>--rabbitmq-ca</c> against a throwaway RabbitMQ whose TLS certificate a throwaway CA signed: the
/// right CA connects (a start is confirmed by the broker), another CA is refused with one line.
/// </summary>
public sealed class When_the_broker_speaks_tls(TlsBrokerFixture broker) : IClassFixture<TlsBrokerFixture>
{
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_right_ca_connects()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Finish, "start", "compute", "--rabbitmq", broker.AmqpsUri.ToString(),
            "--rabbitmq-ca", broker.CaFile);

        Assert.True(code == 0, stderr);
        Assert.Matches("^[0-9a-f]{32}$", stdout.Trim());
    }

    [Fact]
    public async Task A_wrong_ca_fails_with_one_line()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Finish, "start", "compute", "--rabbitmq", broker.AmqpsUri.ToString(),
            "--rabbitmq-ca", broker.OtherCaFile);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.Contains("TLS: the broker's certificate", StringComparison.Ordinal), line);
        Assert.Contains(broker.OtherCaFile, line, StringComparison.Ordinal);
    }
}
