using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Embedded;

namespace VirtFlow.Cli.Commands;

/// <summary>The <c>--store</c> of run, resume and event: checked, defaulted, the folder of a SQLite file created.</summary>
internal static class RunStore
{
    /// <summary>The spec to open. Throws <see cref="RunUsageException"/> for a spec of an unknown form.</summary>
    public static async Task<string> ResolveAsync(string? given)
    {
        if (given is null) return StoreLocations.DefaultStoreSpec(create: true);
        IWorkflowStore probe;
        try
        {
            // Only checks the form: opening happens later (and may fail for other reasons: exit 1).
            probe = StoreFactory.Open(given);
        }
        catch (ArgumentException e)
        {
            throw new RunUsageException("--store: " + SecretRedactor.Redact(FirstSentence(e.Message)));
        }
        await probe.DisposeAsync();
        var trimmed = given.Trim();
        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["sqlite:".Length..].Trim();
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        return given;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
