using System.Text.Json;
using System.Threading.Channels;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary><c>watch --json</c>: every event as one JSON line, as the stream carries it (<c>{seq, instanceId, at, kind, step, message, data}</c>).</summary>
internal sealed class RunJsonLinesView(TextWriter output) : RunView
{
    protected override async Task PumpAsync(ChannelReader<LiveEvent> events)
    {
        await foreach (var e in events.ReadAllAsync())
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(e));
            await output.FlushAsync();
        }
    }
}
