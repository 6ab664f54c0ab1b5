using VirtFlow.Qmp;

namespace VirtFlow.Qmp.Tests;

public sealed class QmpEndpointTests
{
    [Theory]
    [InlineData("/run/vm.sock", "unix:/run/vm.sock")]
    [InlineData("unix:/run/vm.sock", "unix:/run/vm.sock")]
    [InlineData("relative.sock", "unix:relative.sock")]
    [InlineData("tcp:127.0.0.1:4444", "tcp:127.0.0.1:4444")]
    [InlineData("tcp:localhost:1", "tcp:localhost:1")]
    [InlineData("tcp:[::1]:4444", "tcp:[::1]:4444")]
    public void Parses_unix_paths_and_tcp_addresses(string text, string expected) =>
        Assert.Equal(expected, QmpEndpoint.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("unix:")]
    [InlineData("tcp:host")]
    [InlineData("tcp::4444")]
    [InlineData("tcp:host:0")]
    [InlineData("tcp:host:65536")]
    [InlineData("tcp:host:http")]
    public void Rejects_malformed_addresses_with_a_one_line_reason(string text)
    {
        Assert.False(QmpEndpoint.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.DoesNotContain('\n', error);
    }
}
