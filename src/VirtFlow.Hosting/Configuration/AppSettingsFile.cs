using Microsoft.Extensions.Configuration;

namespace VirtFlow.Hosting.Configuration;

/// <summary>
/// The settings a <c>virtflow</c> process reads beside its options: <c>appsettings.json</c> in a folder (if there is one),
/// then the environment (<c>VirtFlow__Section__Name</c>). One reader for every section, so each reports a bad file alike.
/// </summary>
public static class AppSettingsFile
{
    /// <summary>Reads <c>appsettings.json</c> in <paramref name="directory"/> (default: the current folder) and the environment.</summary>
    /// <exception cref="ArgumentException">The file is not JSON or cannot be read: one line naming it.</exception>
    public static IConfiguration Read(string? directory = null)
    {
        var file = Path.Combine(directory ?? Directory.GetCurrentDirectory(), "appsettings.json");
        try
        {
            return new ConfigurationBuilder().AddJsonFile(file, optional: true, reloadOnChange: false).AddEnvironmentVariables().Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{file}: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}", e);
        }
    }
}
