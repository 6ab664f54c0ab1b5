using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

public sealed partial class QmpClient
{
    private const string NegotiationId = "vf-negotiate";

    /// <summary>Reads the greeting and runs <c>qmp_capabilities</c>, before any read loop exists.</summary>
    private async Task NegotiateAsync(CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var stage = "QMP greeting";
        try
        {
            var greeting = await ReadNegotiationLineAsync(stage, linked.Token).ConfigureAwait(false);
            _greeting = ParseGreeting(greeting);

            stage = "reply to qmp_capabilities";
            await _transport.WriteLineAsync(Encoding.UTF8.GetBytes($"{{\"execute\":\"qmp_capabilities\",\"id\":\"{NegotiationId}\"}}\n"), linked.Token).ConfigureAwait(false);
            while (true)
            {
                var reply = await ReadNegotiationLineAsync(stage, linked.Token).ConfigureAwait(false);
                if (reply["id"]?.GetValueKind() == JsonValueKind.String && reply["id"]!.GetValue<string>() == NegotiationId)
                {
                    if (reply["error"] is JsonObject error)
                        throw new QmpException(QmpErrorClasses.Protocol,
                            $"qmp_capabilities failed: {error["class"]?.GetValue<string>()}: {error["desc"]?.GetValue<string>()}", "qmp_capabilities");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new QmpException(QmpErrorClasses.Protocol,
                $"{_endpoint}: got no {stage} within {_options.ConnectTimeout.TotalSeconds:0.#} s (not a QMP socket, or another client holds this monitor)");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, $"{_endpoint}: connection lost while waiting for the {stage}: {e.Message}", inner: e);
        }
    }

    private async Task<JsonObject> ReadNegotiationLineAsync(string stage, CancellationToken cancellationToken)
    {
        var line = await _transport.ReadLineAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new QmpException(QmpErrorClasses.Protocol, $"{_endpoint}: connection closed before the {stage} (not a QMP socket?)");
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, $"{_endpoint}: expected the {stage}, got: {Preview(line)}");
        }
    }

    private QmpGreeting ParseGreeting(JsonObject message)
    {
        if (message["QMP"] is not JsonObject qmp || qmp["version"] is not JsonObject version)
            throw new QmpException(QmpErrorClasses.Protocol, $"{_endpoint}: expected the QMP greeting, got: {Preview(Encoding.UTF8.GetBytes(message.ToJsonString()))}");
        try
        {
            var capabilities = qmp["capabilities"] is JsonArray caps
                ? caps.Select(c => c?.GetValue<string>() ?? "").ToArray()
                : [];
            return new QmpGreeting(QmpVersion.FromJson(version), capabilities);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, $"{_endpoint}: malformed QMP greeting: {e.Message}");
        }
    }

    internal static string Preview(byte[] line)
    {
        var text = Encoding.UTF8.GetString(line, 0, Math.Min(line.Length, 120));
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return line.Length > 120 ? clean + "..." : clean;
    }
}
