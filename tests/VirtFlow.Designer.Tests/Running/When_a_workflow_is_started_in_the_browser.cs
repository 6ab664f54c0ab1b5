using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VirtFlow.Designer.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Designer.Tests.Running;

/// <summary>
/// The shipped copy-disks-pivot started from the browser on a real VM (server, worker, RabbitMQ, QEMU): the start form
/// generated from its inputs (disks as a table), the dry run's plan, the live view with a progress bar per disk and the
/// steps coloured until it completes; then QEMU asked from outside (QMP) that both disks run on their copies.
/// </summary>
[Collection(DesignerCollection.Name)]
public sealed class When_a_workflow_is_started_in_the_browser(RabbitMqFixture rabbit, BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly float Minutes3 = 180_000;

    [Fact]
    public async Task The_form_plans_starts_and_the_live_view_follows_it_to_completed_with_disk_progress_and_the_disks_moved()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output,
            new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = 8L << 20, StartRunning = true },
            await DesignerStack.ShippedAsync("copy-disks-pivot"));
        var vm = stack.Vm!;
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        var errors = DesignerPage.CollectErrors(page);
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["operator"], "/start/copy-disks-pivot");

        // The form: one field per input, required ones marked, the enum a select with its default, disks a table.
        var form = page.GetByTestId("start-form");
        await form.WaitForAsync();
        Assert.Equal("auto", await page.Locator("#in-quiesce").InputValueAsync());
        Assert.Equal(["auto", "fsfreeze", "pause", "none"], (await page.Locator("#in-quiesce option").AllTextContentsAsync()).Where(o => o != "—"));
        Assert.Equal("1h", await page.Locator("#in-readyTimeout").InputValueAsync());
        await page.Locator("#in-host").FillAsync(stack.HostId);
        await page.Locator("#in-vm").FillAsync("web1");
        await page.Locator("#in-quiesce").SelectOptionAsync("pause");
        var targets = new[] { Path.Combine(vm.Dir, "moved-vda.qcow2"), Path.Combine(vm.Dir, "moved-vdb.qcow2") };
        await page.GetByTestId("disks-0-device").FillAsync("vda");
        await page.GetByTestId("disks-0-target").FillAsync(targets[0]);
        await page.GetByTestId("disks-add").ClickAsync();
        await page.GetByTestId("disks-1-device").FillAsync("vdb");
        await page.GetByTestId("disks-1-target").FillAsync(targets[1]);
        await shots.TakeAsync(page, "start-form");

        // The dry run: the worker's plan, both disks, nothing wrong; nothing started.
        await page.GetByTestId("dry-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("plan-verdict")).ToHaveTextAsync("The run can go");
        Assert.Equal(2, await page.GetByTestId("plan-disks").Locator("tbody tr").CountAsync());
        Assert.Contains(vm.Disk("vda").ImagePath, await page.GetByTestId("plan-disks").InnerTextAsync(), StringComparison.Ordinal);
        await shots.TakeAsync(page, "dry-run-plan");
        Assert.Empty((await stack.Api.Viewer.GetFromJsonAsync<JsonObject>("/api/instances"))!["items"]!.AsArray());

        // Start: the live view, a bar per disk, coloured steps, completed.
        await page.GetByTestId("start").ClickAsync();
        await page.WaitForURLAsync(new Regex("#/instances/"));
        await page.GetByTestId("instance-view").WaitForAsync();
        await page.GetByTestId("disk-vda").WaitForAsync(new() { Timeout = Minutes3 });
        await page.GetByTestId("disk-vdb").WaitForAsync(new() { Timeout = Minutes3 });
        await shots.TakeAsync(page, "running");
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("completed", new() { Timeout = Minutes3 });
        foreach (var disk in new[] { "vda", "vdb" })
            await Assertions.Expect(page.GetByTestId($"disk-{disk}").Locator("progress")).ToHaveAttributeAsync("data-percent", "100");
        foreach (var step in new[] { "mirror", "wait", "pivot" })
            await Assertions.Expect(page.Locator($"[data-testid='node-{step}'].status-completed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid='node-rollback'].status-skipped")).ToHaveCountAsync(1);
        Assert.Contains("Pivoted", await page.GetByTestId("journal").InnerTextAsync(), StringComparison.Ordinal);
        await shots.TakeAsync(page, "completed");

        // From outside: QEMU runs both disks on their copies, no job left.
        await VmDisks.AssertMovedAsync(vm, ("vda", targets[0]), ("vdb", targets[1]));

        // The hosts page: the worker online, its VM's disks as the worker sees them now (on the copies), no job.
        await page.GetByTestId("nav-hosts").ClickAsync();
        await page.GetByTestId($"vm-{stack.HostId}-web1").ClickAsync();
        await Assertions.Expect(page.GetByTestId("vm-disks")).ToContainTextAsync(targets[0]);
        await Assertions.Expect(page.GetByTestId("vm-disks")).ToContainTextAsync(targets[1]);
        await page.GetByTestId("vm-no-jobs").WaitForAsync();
        await shots.TakeAsync(page, "hosts");

        // The list, filtered on the server: by VM and status it holds the instance; another status, nothing.
        await page.GetByTestId("nav-instances").ClickAsync();
        await page.GetByTestId("filter-vm").FillAsync("web1");
        await page.GetByTestId("filter-status").SelectOptionAsync("completed");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("instance-row")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "instances");
        await page.GetByTestId("filter-status").SelectOptionAsync("faulted");
        await page.GetByTestId("filter-apply").ClickAsync();
        await page.GetByTestId("no-instances").WaitForAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_instance_list_pages_on_the_server_and_the_triggers_page_follows_what_the_server_has()
    {
        // A schedule that never fires during the test (1 January, 03:00) and a message trigger: the triggers page lists both.
        const string hello = "name: hello\ntriggers:\n  - type: schedule\n    id: yearly\n    cron: \"0 0 3 1 1 ?\"\n"
            + "  - type: message\n    messageType: HelloDesigner\nsteps:\n  - id: greet\n    type: log\n    with: { message: hi }\n";
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: ("hello.yaml", hello));
        for (var i = 0; i < 30; i++) await stack.Api.Server.Engine.StartAsync(stack.Api.Server.Workflows.Find("hello")!);
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        var errors = DesignerPage.CollectErrors(page);
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["viewer"], "/instances");

        await Assertions.Expect(page.GetByTestId("instance-row")).ToHaveCountAsync(25);
        var first = await page.GetByTestId("instance-row").First.TextContentAsync();
        await page.GetByTestId("page-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("instance-row")).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByTestId("page-next")).ToBeDisabledAsync();
        await shots.TakeAsync(page, "second-page");
        await page.GetByTestId("page-prev").ClickAsync();
        await Assertions.Expect(page.GetByTestId("instance-row").First).ToHaveTextAsync(first!);
        await page.GetByTestId("filter-workflow").FillAsync("no-such");
        await page.GetByTestId("filter-apply").ClickAsync();
        await page.GetByTestId("no-instances").WaitForAsync();

        // Schedules and message triggers: the page lists what the server has bound (the message binding comes with the
        // server's next catalog check, so wait for the API to list it first).
        await Eventually.Until(async () => (await stack.Api.Viewer.GetStringAsync("/api/triggers")).Contains("HelloDesigner", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the HelloDesigner binding in GET /api/triggers");
        await page.GetByTestId("nav-triggers").ClickAsync();
        await Assertions.Expect(page.GetByTestId("schedule-hello:yearly")).ToContainTextAsync("0 0 3 1 1 ?");
        await Assertions.Expect(page.GetByTestId("schedule-hello:yearly")).ToContainTextAsync("active");
        await Assertions.Expect(page.GetByTestId("trigger-HelloDesigner")).ToContainTextAsync("virtflow.msg.HelloDesigner");
        await shots.TakeAsync(page, "triggers");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task A_viewer_signed_in_by_the_address_sees_the_form_and_the_instances_but_no_start_cancel_or_retry_button()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: await DesignerStack.ShippedAsync("copy-disks-pivot"));
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        // Signed in by the address, as `./build.sh demo` prints it (#key=...): the key leaves the address at once.
        await page.GotoAsync(stack.Url + "#key=" + stack.Api.Keys["viewer"]);
        await page.GetByTestId("whoami").WaitForAsync();
        Assert.DoesNotContain("key=", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(stack.Url + "#/start/copy-disks-pivot");

        await page.GetByTestId("start-form").WaitForAsync();
        Assert.Equal("viewer", await page.GetByTestId("role").InnerTextAsync());
        await Assertions.Expect(page.GetByTestId("start")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("dry-run")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "viewer-start-form");
        await page.GotoAsync(stack.Url + "#/instances");
        await page.GetByTestId("instance-table").WaitForAsync();
        await Assertions.Expect(page.GetByTestId("open-start")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "viewer-instances");
    }
}
