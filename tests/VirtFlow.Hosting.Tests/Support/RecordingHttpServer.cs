using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtFlow.Hosting.Tests.Support;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that counts every request by path (the side effect a crash test counts: a step
/// that runs again calls again) and can hold requests unanswered while <see cref="Hold"/> says so (steps in flight).
/// Answers <c>{"path": ...}</c> with 200.
/// </summary>
public sealed class RecordingHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private RecordingHttpServer(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The base URL, without a trailing slash.</summary>
    public string Url { get; }

    /// <summary>Requests whose path this matches are held until <see cref="ReleaseAll"/>.</summary>
    public Func<string, bool> Hold { get; set; } = _ => false;

    /// <summary>Requests per path (query left out).</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Every path and how often it was requested.</summary>
    public IReadOnlyDictionary<string, int> AllHits => new Dictionary<string, int>(_hits, StringComparer.Ordinal);

    /// <summary>The paths held right now.</summary>
    public IReadOnlyCollection<string> Held => _held.Keys.ToArray();

    public static RecordingHttpServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new RecordingHttpServer(port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // the port was taken meanwhile
            }
        }
    }

    /// <summary>Answers every held request and holds no more.</summary>
    public void ReleaseAll()
    {
        Hold = _ => false;
        _release.TrySetResult();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "/";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (Hold(path))
            {
                _held[path] = 0;
                try
                {
                    await _release.Task.WaitAsync(_stop.Token);
                }
                finally
                {
                    _held.TryRemove(path, out _);
                }
            }
            var body = Encoding.UTF8.GetBytes($"{{\"path\":\"{path}\"}}");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the client died (killed process) or the server stops
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
        _stop.Dispose();
    }
}
