using System.Globalization;

namespace VirtFlow.Testing;

/// <summary>Image helpers over <c>qemu-img</c> and <c>qemu-io</c>. Never use them on an image a running QEMU holds.</summary>
public static class QemuImg
{
    /// <summary>The outcome of <c>qemu-img compare</c>.</summary>
    /// <param name="Identical">Exit code 0: "Images are identical."</param>
    /// <param name="ExitCode">0 identical, 1 different, 2+ error.</param>
    /// <param name="Output">What qemu-img said.</param>
    public sealed record CompareResult(bool Identical, int ExitCode, string Output);

    /// <summary><c>qemu-img create -f FORMAT PATH SIZE</c>.</summary>
    public static Task CreateAsync(string path, string format, long sizeBytes, CancellationToken cancellationToken = default) =>
        ExternalTool.RunCheckedAsync("qemu-img", ["create", "-q", "-f", format, path, sizeBytes.ToString(CultureInfo.InvariantCulture)], cancellationToken: cancellationToken);

    /// <summary>Writes <paramref name="pattern"/> over <paramref name="length"/> bytes at <paramref name="offset"/> with <c>qemu-io</c>.</summary>
    public static Task FillAsync(string path, string format, byte pattern, long offset, long length, CancellationToken cancellationToken = default) =>
        Io(path, format, $"write -P 0x{pattern:x2} {offset} {length}", cancellationToken);

    /// <summary>True when every byte of the range equals <paramref name="pattern"/> (<c>qemu-io read -P</c>).</summary>
    public static async Task<bool> HasPatternAsync(string path, string format, byte pattern, long offset, long length, CancellationToken cancellationToken = default)
    {
        var result = await ExternalTool.RunAsync("qemu-io",
            ["-r", "-f", format, "-c", $"read -P 0x{pattern:x2} {offset} {length}", path], cancellationToken: cancellationToken);
        if (result.Output.Contains("Pattern verification failed", StringComparison.Ordinal)) return false;
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"qemu-io read of {path} failed ({result.ExitCode}): {result.Output}");
        return true;
    }

    /// <summary><c>qemu-img compare A B</c> (run only after QEMU has quit).</summary>
    public static async Task<CompareResult> CompareAsync(string a, string b, CancellationToken cancellationToken = default)
    {
        var result = await ExternalTool.RunAsync("qemu-img", ["compare", a, b], TimeSpan.FromMinutes(5), cancellationToken);
        if (result.ExitCode >= 2)
            throw new InvalidOperationException($"qemu-img compare {a} {b} failed ({result.ExitCode}): {result.Output}");
        return new CompareResult(result.ExitCode == 0, result.ExitCode, result.Output);
    }

    private static async Task Io(string path, string format, string command, CancellationToken cancellationToken)
    {
        await ExternalTool.RunCheckedAsync("qemu-io", ["-f", format, "-c", command, path], cancellationToken: cancellationToken);
    }
}
