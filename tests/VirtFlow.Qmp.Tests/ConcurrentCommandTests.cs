using System.Globalization;
using VirtFlow.Qmp;

namespace VirtFlow.Qmp.Tests;

[Collection(SharedVmCollection.Name)]
public sealed class ConcurrentCommandTests(SharedVmFixture fixture)
{
    [Fact]
    public async Task Two_hundred_commands_in_parallel_each_get_their_own_reply()
    {
        // HMP "print N" answers "0x<N in hex>": every reply says which request it belongs to.
        var calls = Enumerable.Range(1, 200)
            .Select(i => Task.Run(async () => (i, reply: await fixture.Client.HumanMonitorCommandAsync($"print {i}"))))
            .ToArray();
        var results = await Task.WhenAll(calls);
        foreach (var (i, reply) in results)
            Assert.Equal("0x" + i.ToString("x", CultureInfo.InvariantCulture), reply.Trim());
    }

    [Fact]
    public async Task Different_commands_interleaved_from_many_threads_get_replies_of_their_own_shape()
    {
        var calls = Enumerable.Range(0, 150).Select(i => Task.Run(async () =>
        {
            switch (i % 3)
            {
                case 0:
                    Assert.Equal("prelaunch", (await fixture.Client.QueryStatusAsync()).Status);
                    break;
                case 1:
                    Assert.Equal(fixture.Client.Greeting.Version, await fixture.Client.QueryVersionAsync());
                    break;
                default:
                    Assert.Equal("src-vda", await fixture.Client.FindNodeForDeviceAsync("vda"));
                    break;
            }
        }));
        await Task.WhenAll(calls);
    }
}
