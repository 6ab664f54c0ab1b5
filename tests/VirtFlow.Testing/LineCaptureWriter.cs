using System.Text;

namespace VirtFlow.Testing;

/// <summary>
/// A thread-safe <see cref="TextWriter"/> that keeps what is written and lets a test await a line matching a condition
/// (for commands that stream output, such as <c>virtflow qmp --events</c>, run in-process).
/// </summary>
public sealed class LineCaptureWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly StringBuilder _partial = new();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Everything written so far.</summary>
    public override string ToString()
    {
        lock (_gate) return _text.ToString();
    }

    /// <summary>The complete lines written so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    public override void Write(char value)
    {
        List<TaskCompletionSource<string>>? done = null;
        string? line = null;
        lock (_gate)
        {
            _text.Append(value);
            if (value == '\r') return;
            if (value != '\n')
            {
                _partial.Append(value);
                return;
            }
            line = _partial.ToString();
            _partial.Clear();
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(line)) continue;
                (done ??= []).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
        }
        if (done is not null) foreach (var d in done) d.TrySetResult(line);
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        foreach (var c in value) Write(c);
    }

    /// <summary>The first line (already written or future) that satisfies <paramref name="match"/>.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            var existing = _lines.FirstOrDefault(match);
            if (existing is not null) return Task.FromResult(existing);
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task;
        }
    }
}
