using Microsoft.Playwright;

namespace VirtFlow.Designer.Tests.Support;

/// <summary>What every browser test does on the designer: open it at a route and sign in with a key.</summary>
public static class DesignerPage
{
    /// <summary>Opens <paramref name="baseUrl"/> at <c>#<paramref name="route"/></c>, signs in with <paramref name="key"/> and waits for the page's frame.</summary>
    public static async Task OpenAsync(IPage page, string baseUrl, string key, string route)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(baseUrl + "#" + route);
        await page.GetByTestId("signin-key").FillAsync(key);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.GetByTestId("whoami").WaitForAsync();
    }

    /// <summary>Collects the page's console errors and failed requests (a CSP violation shows up here).</summary>
    public static List<string> CollectErrors(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var errors = new List<string>();
        // The browser asks for /favicon.ico by itself; the designer has none (a 404 that is no error of the app).
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Location.Contains("/favicon.ico", StringComparison.Ordinal)) lock (errors) errors.Add($"{m.Text} ({m.Location})");
        };
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        return errors;
    }
}
