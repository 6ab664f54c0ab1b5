using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using VirtFlow.Testing;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>
/// Screenshots of each stage of a test, kept under the test results: <c>.artifacts/test-results/designer/TEST/NN-stage.png</c>
/// (or under <c>VIRTFLOW_TEST_RESULTS</c>).
/// </summary>
public sealed class Screenshots(string test)
{
    private int _count;

    public string Dir { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("VIRTFLOW_TEST_RESULTS") is { Length: > 0 } r ? r : Path.Combine(TestDirs.RepoRoot, ".artifacts", "test-results"),
        "designer", test);

    public static Screenshots For([CallerMemberName] string test = "") => new(test);

    /// <summary>A full-page screenshot named after <paramref name="stage"/>.</summary>
    public async Task TakeAsync(IPage page, string stage)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(Dir);
        var file = Path.Combine(Dir, $"{++_count:00}-{stage}.png".ToString(CultureInfo.InvariantCulture));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }
}
