using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Storage.Servers;

/// <summary>The throwaway broker starts, speaks AMQP, stops and comes back (no client library: a raw handshake).</summary>
public sealed class RabbitMqServerSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_broker_answers_the_AMQP_handshake_and_survives_a_stop_and_start()
    {
        var sw = Stopwatch.StartNew();
        await using var broker = await RabbitMqServer.StartAsync();
        output.WriteLine($"RabbitMQ start-up: {sw.Elapsed.TotalSeconds:F2} s ({broker.AmqpUri}, external: {broker.IsExternal})");

        Assert.Equal("amqp", broker.AmqpUri.Scheme);
        Assert.Equal("AMQP", await ReadProtocolHeaderReplyAsync(broker));
        if (broker.IsExternal) return;

        sw.Restart();
        broker.Stop();
        output.WriteLine($"RabbitMQ stop: {sw.Elapsed.TotalSeconds:F2} s");
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAsync(broker));

        broker.Start();
        output.WriteLine($"RabbitMQ restart: {broker.LastStartupTime.TotalSeconds:F2} s");
        Assert.Equal("AMQP", await ReadProtocolHeaderReplyAsync(broker));
    }

    /// <summary>Sends an unsupported protocol header: an AMQP broker answers with its own header ("AMQP\0\0\9\1") and closes.</summary>
    private static async Task<string> ReadProtocolHeaderReplyAsync(RabbitMqServer broker)
    {
        using var client = await ConnectAsync(broker);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\0\0"u8.ToArray());
        var reply = new byte[8];
        var read = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < reply.Length)
        {
            var n = await stream.ReadAsync(reply.AsMemory(read), cts.Token);
            if (n == 0) break;
            read += n;
        }
        Assert.Equal(8, read);
        Assert.Equal(new byte[] { 0, 0, 9, 1 }, reply[4..]);
        return Encoding.ASCII.GetString(reply, 0, 4);
    }

    private static async Task<TcpClient> ConnectAsync(RabbitMqServer broker)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(broker.AmqpUri.Host, broker.Port);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
