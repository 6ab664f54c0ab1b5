using System.Globalization;
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
/// The live view of one instance against a real server (engine, SQLite store, RabbitMQ, HTTP): cancelled by an operator
/// (a viewer has no button), continued from a chosen step after a fault with the steps before it kept, and a dropped
/// stream (the TCP line between browser and server cut: <see cref="NetworkCut"/>) that reconnects and shows every journal line exactly once.
/// </summary>
[Collection(DesignerCollection.Name)]
public sealed partial class When_an_instance_is_followed_live_in_the_browser(RabbitMqFixture rabbit, BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    /// <summary>Waits for an approval event that never comes (no timeout): it runs until it is cancelled.</summary>
    private const string Approval = """
        name: approval
        inputs:
          change: { type: string, required: true }
        steps:
          - id: prepare
            type: log
            with: { message: "asking for ${ inputs.change }" }
          - id: answer
            type: waitEvent
            with: { event: approval, correlation: "${ inputs.change }" }
          - id: done
            type: log
            with: { message: "approved" }
        """;

    /// <summary>Waits 1 s for a verdict; without one it fails at 'reject'. Retried from 'answer' once the verdict is there, it completes.</summary>
    private const string Verdict = """
        name: verdict
        inputs:
          change: { type: string, required: true }
        steps:
          - id: prepare
            type: log
            with: { message: "prepared ${ inputs.change }" }
          - id: answer
            type: waitEvent
            with: { event: verdict, correlation: "${ inputs.change }", timeout: 1s, onTimeout: continue }
          - id: check
            type: if
            condition: ${ steps.answer.outputs.timedOut }
            then:
              - id: reject
                type: fail
                with: { message: "no verdict for ${ inputs.change }", code: NoVerdict }
          - id: finish
            type: log
            with: { message: "verdict ok=${ steps.answer.outputs.payload.ok }" }
        """;

    /// <summary>Three events in a row, each one a few journal lines: the test produces lines while the page is offline.</summary>
    private const string Ticks = """
        name: ticks
        inputs:
          change: { type: string, required: true }
        steps:
          - id: tick1
            type: waitEvent
            with: { event: tick-1, correlation: "${ inputs.change }" }
          - id: tick2
            type: waitEvent
            with: { event: tick-2, correlation: "${ inputs.change }" }
          - id: tick3
            type: waitEvent
            with: { event: tick-3, correlation: "${ inputs.change }" }
          - id: done
            type: log
            with: { message: "three ticks" }
        """;

    [Fact]
    public async Task An_operator_cancels_a_waiting_instance_and_the_page_and_the_API_say_cancelled_while_a_viewer_has_no_cancel_button()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: ("approval.yaml", Approval));
        var id = await StartAsync(stack, "approval", "chg-1");
        await WaitStepAsync(stack, id, "answer", "suspended");
        var shots = Screenshots.For();

        // A viewer follows it live but has no cancel button.
        var viewer = await browser.NewPageAsync();
        var viewerErrors = DesignerPage.CollectErrors(viewer);
        await DesignerPage.OpenAsync(viewer, stack.Url, stack.Api.Keys["viewer"], "/instances/" + id);
        await Assertions.Expect(viewer.GetByTestId("instance-status")).ToHaveTextAsync("running");
        await Assertions.Expect(viewer.GetByTestId("stream-state")).ToHaveTextAsync("live");
        await Assertions.Expect(viewer.GetByTestId("role")).ToHaveTextAsync("viewer");
        await Assertions.Expect(viewer.GetByTestId("cancel")).ToHaveCountAsync(0);
        await shots.TakeAsync(viewer, "viewer-no-cancel");

        // The operator's page: running, waiting in 'answer'; cancel.
        var page = await browser.NewPageAsync();
        var errors = DesignerPage.CollectErrors(page);
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["operator"], "/instances/" + id);
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("running");
        await Assertions.Expect(page.GetByTestId("stream-state")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator("[data-testid='node-prepare'].status-completed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid='node-answer'].status-running")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "operator-running");
        await page.GetByTestId("cancel").ClickAsync();

        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(page.GetByTestId("cancel")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("instance-fault")).ToContainTextAsync("cancelled by");
        await Assertions.Expect(page.GetByTestId("stream-state")).ToHaveTextAsync("ended");
        await Assertions.Expect(page.Locator("[data-testid='node-done'].status-waiting")).ToHaveCountAsync(1);
        await shots.TakeAsync(page, "operator-cancelled");
        var detail = (await stack.Api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!;
        Assert.Equal("cancelled", detail["status"]!.GetValue<string>(), ignoreCase: true);
        Assert.DoesNotContain(await JournalAsync(stack, id), l => l.Step == "done");

        // The viewer's page followed it from the stream: cancelled, the stream ended.
        await Assertions.Expect(viewer.GetByTestId("instance-status")).ToHaveTextAsync("cancelled");
        await Assertions.Expect(viewer.GetByTestId("stream-state")).ToHaveTextAsync("ended");
        await shots.TakeAsync(viewer, "viewer-cancelled");
        await AssertJournalShownOnceAsync(page, stack, id);
        await AssertJournalShownOnceAsync(viewer, stack, id);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.True(viewerErrors.Count == 0, string.Join("\n", viewerErrors));
    }

    [Fact]
    public async Task A_faulted_instance_retried_from_an_earlier_step_completes_and_the_steps_before_it_ran_once()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: ("verdict.yaml", Verdict));
        var id = await StartAsync(stack, "verdict", "chg-2");
        await Eventually.Until(async () => string.Equals(await StatusAsync(stack, id), "faulted", StringComparison.OrdinalIgnoreCase), Minute, $"instance {id} faulted (no verdict within 1 s)");
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        var errors = DesignerPage.CollectErrors(page);
        await DesignerPage.OpenAsync(page, stack.Url, stack.Api.Keys["operator"], "/instances/" + id);

        // Faulted at 'reject': the fault named, the faulted step chosen to retry from.
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("faulted");
        await Assertions.Expect(page.GetByTestId("instance-fault")).ToContainTextAsync("no verdict for chg-2");
        await Assertions.Expect(page.Locator("[data-testid='node-reject'].status-faulted")).ToHaveCountAsync(1);
        // (the faulted step offered first is the first faulted in the run's order: the 'if' holding 'reject')
        await Assertions.Expect(page.GetByTestId("retry-from")).ToHaveValueAsync(new Regex("^(check|reject)$"));
        await shots.TakeAsync(page, "faulted");

        // The verdict arrives now; the instance continues from 'answer' (which takes it), 'prepare' is kept.
        var published = await stack.Api.Operator.PostAsJsonAsync("/api/events", new { name = "verdict", correlation = "chg-2", data = new { ok = true } });
        published.EnsureSuccessStatusCode();
        await page.GetByTestId("retry-from").SelectOptionAsync("answer");
        await shots.TakeAsync(page, "retry-from-answer");
        await page.GetByTestId("retry").ClickAsync();

        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(page.GetByTestId("instance-fault")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("retry")).ToHaveCountAsync(0);
        foreach (var step in new[] { "prepare", "answer", "check", "finish" })
            await Assertions.Expect(page.Locator($"[data-testid='node-{step}'].status-completed")).ToHaveCountAsync(1);
        // 'reject' did not run this time (the verdict came): no longer shown faulted.
        await Assertions.Expect(page.Locator("[data-testid='node-reject'].status-waiting")).ToHaveCountAsync(1);
        // The page's journal goes on after the retry: the lines of the second run are there, once each.
        await Assertions.Expect(page.GetByTestId("journal")).ToContainTextAsync("verdict ok=true");
        await shots.TakeAsync(page, "completed");

        var detail = (await stack.Api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!;
        Assert.Equal("completed", detail["status"]!.GetValue<string>(), ignoreCase: true);
        var journal = await JournalAsync(stack, id);
        int Started(string step) => journal.Count(l => l.Kind == "StepStarted" && l.Step?.Split('/')[^1] == step);
        Assert.Equal(1, Started("prepare"));
        Assert.Equal(2, Started("answer"));
        Assert.Equal(1, Started("finish"));
        await AssertJournalShownOnceAsync(page, stack, id);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task A_dropped_stream_reconnects_and_the_journal_shows_every_line_once()
    {
        await using var stack = await DesignerStack.StartAsync(rabbit.Server, output, workflows: ("ticks.yaml", Ticks));
        var id = await StartAsync(stack, "ticks", "chg-3");
        await WaitStepAsync(stack, id, "tick1", "suspended");
        // The page talks to the server through a line the test can cut.
        await using var line = NetworkCut.To(stack.Api.BaseAddress);
        var shots = Screenshots.For();
        var page = await browser.NewPageAsync();
        var errors = DesignerPage.CollectErrors(page);
        await DesignerPage.OpenAsync(page, line.Url, stack.Api.Keys["operator"], "/instances/" + id);
        var state = page.GetByTestId("stream-state");
        await Assertions.Expect(state).ToHaveTextAsync("live");
        await Assertions.Expect(state).ToHaveAttributeAsync("title", "0 reconnect(s)");
        await Assertions.Expect(page.Locator("[data-testid='node-tick1'].status-running")).ToHaveCountAsync(1);
        await AssertJournalShownOnceAsync(page, stack, id);
        await shots.TakeAsync(page, "live");

        // The line is cut: the open stream drops, the page says so and keeps trying.
        line.Cut();
        await Assertions.Expect(state).ToHaveTextAsync("reconnecting");
        await shots.TakeAsync(page, "reconnecting");

        // Meanwhile the instance goes on: two events, two steps further (lines the page has not seen).
        await PublishAsync(stack, "tick-1", "chg-3");
        await PublishAsync(stack, "tick-2", "chg-3");
        await WaitStepAsync(stack, id, "tick3", "suspended");
        await Assertions.Expect(state).ToHaveTextAsync("reconnecting");
        await Assertions.Expect(page.Locator("[data-testid='node-tick1'].status-running")).ToHaveCountAsync(1);

        // The line is back: live again, a reconnect counted, the missed lines caught up, none twice.
        line.Restore();
        await Assertions.Expect(state).ToHaveTextAsync("live");
        await Assertions.Expect(state).ToHaveAttributeAsync("title", ReconnectsAtLeastOne());
        await Assertions.Expect(page.Locator("[data-testid='node-tick2'].status-completed")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid='node-tick3'].status-running")).ToHaveCountAsync(1);
        await AssertJournalShownOnceAsync(page, stack, id);
        await shots.TakeAsync(page, "live-again");

        // And it goes on live to the end.
        await PublishAsync(stack, "tick-3", "chg-3");
        await Assertions.Expect(page.GetByTestId("instance-status")).ToHaveTextAsync("completed");
        await Assertions.Expect(state).ToHaveTextAsync("ended");
        await Assertions.Expect(page.Locator("[data-testid='node-done'].status-completed")).ToHaveCountAsync(1);
        await AssertJournalShownOnceAsync(page, stack, id);
        await shots.TakeAsync(page, "completed");
        // The only errors allowed are the browser's own reports of the stream's failed reconnects while the line was cut.
        var others = errors.Where(e => !e.Contains("/stream", StringComparison.Ordinal)).ToList();
        Assert.True(others.Count == 0, string.Join("\n", others));
    }

    [GeneratedRegex(@"^[1-9]\d* reconnect\(s\)$")]
    private static partial Regex ReconnectsAtLeastOne();

    private static async Task<string> StartAsync(DesignerStack stack, string workflow, string change)
    {
        var response = await stack.Api.Operator.PostAsJsonAsync("/api/instances", new { workflow, inputs = new { change } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task PublishAsync(DesignerStack stack, string name, string correlation) =>
        (await stack.Api.Operator.PostAsJsonAsync("/api/events", new { name, correlation })).EnsureSuccessStatusCode();

    private static async Task<string> StatusAsync(DesignerStack stack, string id) =>
        (await stack.Api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!["status"]!.GetValue<string>();

    /// <summary>Waits until the API shows <paramref name="step"/> of instance <paramref name="id"/> in <paramref name="status"/>.</summary>
    private static Task WaitStepAsync(DesignerStack stack, string id, string step, string status) =>
        Eventually.Until(async () =>
        {
            var detail = (await stack.Api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!;
            return detail["steps"]!.AsArray().Any(s => s!["id"]?.GetValue<string>() == step && string.Equals(s["status"]!.GetValue<string>(), status, StringComparison.OrdinalIgnoreCase));
        }, Minute, $"step {step} of {id} {status}");

    private sealed record Line(long Seq, string Kind, string? Step);

    /// <summary>The instance's whole journal from <c>GET /api/instances/{id}/journal</c>, page by page.</summary>
    private static async Task<List<Line>> JournalAsync(DesignerStack stack, string id)
    {
        var lines = new List<Line>();
        long after = 0;
        while (true)
        {
            var page = (await stack.Api.Viewer.GetFromJsonAsync<JsonObject>($"/api/instances/{id}/journal?after={after}"))!;
            var items = page["items"]!.AsArray();
            if (items.Count == 0) return lines;
            foreach (var i in items)
                lines.Add(new Line(i!["sequence"]!.GetValue<long>(), i["kind"]!.GetValue<string>(), i["stepPath"]?.GetValue<string>()));
            after = lines[^1].Seq;
        }
    }

    /// <summary>
    /// The page's journal (<c>[data-testid=journal] li</c>, by sequence) becomes exactly the API's: every line, in order,
    /// none twice (the page redraws its journal at most every 250 ms, so this waits for it).
    /// </summary>
    private static async Task AssertJournalShownOnceAsync(IPage page, DesignerStack stack, string id)
    {
        List<long> expected = [], shown = [];
        try
        {
            await Eventually.Until(async () =>
            {
                expected = [.. (await JournalAsync(stack, id)).Select(l => l.Seq)];
                shown = [.. (await page.Locator("[data-testid=journal] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.seq)")).Select(s => long.Parse(s, CultureInfo.InvariantCulture))];
                return shown.SequenceEqual(expected);
            }, TimeSpan.FromSeconds(30), $"the page's journal of {id} the same as the API's");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"page journal [{string.Join(",", shown)}] is not the API's [{string.Join(",", expected)}]");
        }
        Assert.Equal(shown.Count, shown.Distinct().Count());
        // Each line's time is whole, HH:MM:SS.mmm (the server trims trailing zeros of the fraction).
        var times = await page.Locator("[data-testid=journal] li time").AllTextContentsAsync();
        Assert.All(times, t => Assert.Matches(TimeOfLine(), t));
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3}$")]
    private static partial Regex TimeOfLine();
}
