using Microsoft.Playwright;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>
/// One headless Chromium for the collection: Debian's <c>/usr/bin/chromium</c> (or <c>VIRTFLOW_CHROMIUM</c>) driven by
/// Microsoft.Playwright; Playwright's own browser download is never used. <c>--no-sandbox</c> because CI runs as root.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The Chromium binary.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("VIRTFLOW_CHROMIUM") is { Length: > 0 } c ? c : "/usr/bin/chromium";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"Chromium not found at {Executable}: install Debian's chromium (./build.sh installs it) or set VIRTFLOW_CHROMIUM");
        // The machine is small and shared: a dry run asks a worker (up to 15 s), a VM boots; waits are on states, not times.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>A fresh context (its own storage: sessionStorage, localStorage) and a page in it, 1280×800.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
