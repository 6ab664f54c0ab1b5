using System.Text;
using VirtFlow.Engine.Definitions.Limits;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// Reads the text of a workflow file within <see cref="WorkflowLimits.MaxFileBytes"/>: a file that is not a regular file
/// (a FIFO, a device, a directory, a socket) is refused without reading it and without blocking; a larger file is refused
/// from its size before reading, and reading stops past the limit (a file that grows meanwhile). The text is decoded as
/// <see cref="File.ReadAllText(string)"/> does (UTF-8, or the encoding its byte order mark names).
/// </summary>
public static class WorkflowFileReader
{
    /// <summary>The file's text.</summary>
    /// <exception cref="WorkflowFileRefusedException">The file is not a regular file, or too large.</exception>
    /// <exception cref="IOException">It cannot be read (<see cref="FileNotFoundException"/>: it does not exist).</exception>
    /// <exception cref="UnauthorizedAccessException">It may not be read.</exception>
    public static string Read(string path, WorkflowLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= WorkflowLimits.Default;
        if (Directory.Exists(path))
            throw Refused(path, "not a regular file: it is a directory; a workflow file must be a regular file");
        using var stream = Open(path, limits);
        return Decode(ReadBounded(stream, path, limits.MaxFileBytes));
    }

    private static FileStream Open(string path, WorkflowLimits limits)
    {
        if (!UnixFile.IsSupported)
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var handle = UnixFile.Open(path);
        try
        {
            var status = UnixFile.Stat(handle);
            if (!status.IsRegular)
                throw Refused(path, $"not a regular file: it is {status.Kind}; a workflow file must be a regular file");
            if (status.Size > limits.MaxFileBytes)
                throw TooLarge(path, status.Size, limits.MaxFileBytes);
            return new FileStream(handle, FileAccess.Read, 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static byte[] ReadBounded(Stream stream, string path, int max)
    {
        var buffer = new byte[Math.Min(max + 1L, 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > max)
                    throw TooLarge(path, null, max);
                Array.Resize(ref buffer, (int)Math.Min(max + 1L, buffer.Length * 2L));
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
                break;
            length += read;
        }

        if (length > max)
            throw TooLarge(path, null, max);
        Array.Resize(ref buffer, length);
        return buffer;
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static WorkflowFileRefusedException TooLarge(string path, long? size, int max) =>
        Refused(path, size is { } s
            ? $"the file is {s:N0} bytes, more than the limit of {max:N0} (MaxFileBytes)"
            : $"the file holds more than {max:N0} bytes (limit MaxFileBytes)");

    private static WorkflowFileRefusedException Refused(string path, string message) =>
        new(new Diagnostic(new SourceLocation(path, 1, 1), message) { IsLimit = true });
}
