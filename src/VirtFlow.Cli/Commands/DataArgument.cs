namespace VirtFlow.Cli.Commands;

/// <summary>A <c>--data JSON|@FILE</c> value of <c>virtflow event</c> and <c>virtflow publish</c>.</summary>
internal static class DataArgument
{
    /// <summary>The value itself, or the content of FILE for <c>@FILE</c> (<c>@@</c> keeps a leading '@').</summary>
    /// <exception cref="RunUsageException">The file cannot be read (one line naming it).</exception>
    public static string Text(string data)
    {
        if (!data.StartsWith('@') || data.StartsWith("@@", StringComparison.Ordinal)) return data;
        try
        {
            return File.ReadAllText(data[1..]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new RunUsageException($"--data {data}: cannot read the file: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
        }
    }
}
