using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VirtFlow.Designer.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Designer.Tests.Editing;

/// <summary>
/// The editor in a browser against a real server: a two-disk copy-and-pivot built from an empty canvas with the palette
/// and the forms, a validation error on a node fixed, published, started with the form on a real VM and watched to its
/// end, the disks checked from outside (QMP); an edit that survives a reload; two tabs that save get the conflict dialog;
/// one property of the shipped copy-disks-pivot edited changes one line of its YAML.
/// </summary>
[Collection(DesignerCollection.Name)]
public sealed class When_a_workflow_is_edited_in_the_browser(RabbitMqFixture rabbit, BrowserFixture browser, ITestOutputHelper output)
{
    private const float Minutes3 = 180_000;

    [Fact]
    public async Task A_two_disk_move_built_from_an_empty_canvas_is_fixed_published_started_and_moves_the_disks()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output,
            new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = 4L << 20, StartRunning = true });
        var vm = stack.Vm!;
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["admin"], "/workflows");

        await page.GetByTestId("new-workflow-name").FillAsync("move-two");
        await page.GetByTestId("new-workflow").ClickAsync();
        await page.GetByTestId("workflow-editor").WaitForAsync();
        await shots.TakeAsync(page, "empty-canvas");

        // The palette: search, then a click appends the step after the selected one (the new step is selected).
        foreach (var type in new[] { "vm.mirror", "vm.waitReady", "vm.pivot" })
        {
            await page.GetByTestId("palette-search").FillAsync(type);
            await page.GetByTestId($"palette-item-{type}").ClickAsync();
        }
        await page.GetByTestId("palette-search").FillAsync("");
        var targets = new[] { Path.Combine(vm.Dir, "moved-vda.qcow2"), Path.Combine(vm.Dir, "moved-vdb.qcow2") };
        var mirror = page.Locator("[data-testid^='node-vmMirror']").First;
        var wait = page.Locator("[data-testid^='node-vmWaitReady']").First;
        var pivot = page.Locator("[data-testid^='node-vmPivot']").First;
        var ids = new Dictionary<string, string>();
        foreach (var (name, node) in new[] { ("mirror", mirror), ("wait", wait), ("pivot", pivot) })
            ids[name] = (await node.GetAttributeAsync("data-testid"))!["node-".Length..];

        await mirror.ClickAsync();
        await page.GetByTestId("field-with.host").FillAsync(stack.HostId);
        await page.GetByTestId("field-with.vm").FillAsync("${ inputs.vm }");
        await page.GetByTestId("field-with.disks").FillAsync($"- {{ device: vda, target: {targets[0]} }}\n- {{ device: vdb, target: {targets[1]} }}");
        await pivot.ClickAsync();
        await page.GetByTestId("field-with.host").FillAsync(stack.HostId);
        await page.GetByTestId("field-with.vm").FillAsync("${ inputs.vm }");
        await page.GetByTestId("field-with.jobs").FillAsync($"${{ steps.{ids["wait"]}.outputs.jobs }}");
        await page.GetByTestId("field-with.quiesce").SelectOptionAsync("pause");
        // The wait step is left without its jobs: the server's validation puts an error on its node.
        await wait.ClickAsync();
        await page.GetByTestId("field-with.host").FillAsync(stack.HostId);
        await page.GetByTestId("field-with.vm").FillAsync("${ inputs.vm }");
        await wait.GetByTestId("node-error").WaitForAsync();
        await shots.TakeAsync(page, "validation-error-on-node");
        await page.GetByTestId("field-with.jobs").FillAsync($"${{ steps.{ids["mirror"]}.outputs.jobs }}");
        await Assertions.Expect(page.Locator("[data-testid='node-error']")).ToHaveCountAsync(0);
        // The new workflow's template leaves its description empty: filled in the YAML view (Monaco), synced to the rest.
        // (Monaco is made once the graph is drawn and the browser is idle.)
        await page.WaitForFunctionAsync("() => !!window.__vfYamlEditor");
        await page.EvaluateAsync("() => { const e = window.__vfYamlEditor; e.setValue(e.getValue().replace(/^description: *$/m, 'description: two disks moved at once')); }");
        await page.GetByTestId("tab-problems").ClickAsync();
        try
        {
            await Assertions.Expect(page.GetByTestId("validation-status")).ToHaveTextAsync("valid");
        }
        catch (PlaywrightException)
        {
            output.WriteLine("problems: " + await page.GetByTestId("problem-list").InnerTextAsync());
            output.WriteLine(await page.EvaluateAsync<string>("() => window.__vfYamlEditor.getValue()"));
            throw;
        }
        await shots.TakeAsync(page, "fixed");

        // Publishing saves the new workflow's draft first, then publishes it: the page says so when both are done (the
        // server knows nothing of move-two until the save, so it is asked only then).
        await page.GetByTestId("publish-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-notice")).ToHaveTextAsync(new Regex("^Published version 1\\."));
        var published = await stack.Api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/move-two");
        Assert.Equal(1, published!["publishedVersion"]!.GetValue<int>());
        await shots.TakeAsync(page, "published");

        // Started with the form on the real VM, watched to its end.
        await page.GotoAsync(stack.Url + "#/start/move-two");
        await page.Locator("#in-vm").FillAsync("web1");
        await page.GetByTestId("start").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/instances/"));
        await page.GetByTestId("disk-vda").WaitForAsync(new() { Timeout = Minutes3 });
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("completed", new() { Timeout = Minutes3 });
        await Assertions.Expect(page.GetByTestId("disk-vdb").Locator("progress")).ToHaveAttributeAsync("data-percent", "100");
        await shots.TakeAsync(page, "completed");

        await VmDisks.AssertMovedAsync(vm, ("vda", targets[0]), ("vdb", targets[1]));
    }

    [Fact]
    public async Task An_edit_survives_a_reload_and_one_property_changed_is_one_line_of_the_yaml_diff()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: await DesignerStack.ShippedAsync("copy-disks-pivot"));
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["admin"], "/workflows/copy-disks-pivot");

        await page.GetByTestId("node-pivot").ClickAsync();
        await page.GetByTestId("field-with.quiesce").FillAsync("fsfreeze");
        await page.GetByTestId("autosaved").WaitForAsync();
        await shots.TakeAsync(page, "edited");

        // A reload mid-edit (nothing saved to the server): the edit is there.
        await page.ReloadAsync();
        await page.GetByTestId("restored-banner").WaitForAsync();
        await page.GetByTestId("node-pivot").ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-with.quiesce")).ToHaveValueAsync("fsfreeze");
        await shots.TakeAsync(page, "restored-after-reload");

        await page.GetByTestId("save-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-dirty")).ToHaveTextAsync("saved");
        var diff = await stack.Api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/copy-disks-pivot/diff?from=1&to=draft");
        var changed = diff!["unified"]!.GetValue<string>().Split('\n')
            .Where(l => (l.StartsWith('+') || l.StartsWith('-')) && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, changed.Count);
        Assert.Equal("-          quiesce: ${ inputs.quiesce }", changed[0]);
        Assert.Equal("+          quiesce: fsfreeze", changed[1]);

        await page.GetByTestId("history-button").ClickAsync();
        await page.GetByTestId("diff-from").SelectOptionAsync("1");
        await page.GetByTestId("diff-to").SelectOptionAsync("draft");
        await Assertions.Expect(page.GetByTestId("diff-summary")).ToContainTextAsync("pivot");
        await shots.TakeAsync(page, "one-line-diff");
    }

    [Fact]
    public async Task Two_tabs_that_save_get_the_conflict_dialog_and_nothing_is_overwritten()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: await DesignerStack.ShippedAsync("copy-disks-pivot"));
        var shots = Screenshots.For();
        var first = await browser.NewPageAsync();
        await DesignerPage.OpenAsync(first, stack.Url, stack.Api.Keys["admin"], "/workflows/copy-disks-pivot");
        var second = await first.Context.NewPageAsync();
        await DesignerPage.OpenAsync(second, stack.Url, stack.Api.Keys["admin"], "/workflows/copy-disks-pivot");
        await first.GetByTestId("node-pivot").WaitForAsync();
        await second.GetByTestId("node-pivot").WaitForAsync();

        await first.GetByTestId("node-pivot").ClickAsync();
        await first.GetByTestId("field-with.quiesce").FillAsync("pause");
        await first.GetByTestId("save-button").ClickAsync();
        await Assertions.Expect(first.GetByTestId("editor-dirty")).ToHaveTextAsync("saved");

        await second.GetByTestId("node-pivot").ClickAsync();
        await second.GetByTestId("field-with.quiesce").FillAsync("none");
        await second.GetByTestId("save-button").ClickAsync();
        await second.GetByTestId("conflict-dialog").WaitForAsync();
        await shots.TakeAsync(second, "conflict-dialog");
        var saved = await stack.Api.Viewer.GetFromJsonAsync<JsonObject>("/api/workflows/copy-disks-pivot");
        Assert.Contains("quiesce: pause", saved!["yaml"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("quiesce: none", saved["yaml"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
