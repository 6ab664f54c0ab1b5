using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Runtime.Support;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>Arms the step's <c>timeout:</c> as a <c>$timeout</c> timer bookmark (per attempt for activities).</summary>
    private void StartTimeout(StepDefinition step, StepState st, Frame frame)
    {
        if (step.Timeout is null) return;
        var timeout = EvaluateDuration(step.Timeout, frame, step.Id, "timeout");
        st.TimeoutText = Durations.Format(timeout);
        st.Bookmarks?.RemoveAll(b => b.Name == BookmarkNames.Timeout);
        st.Touch();
        AddBookmark(st, BookmarkNames.Timeout, null, _core.Now + timeout, null);
    }

    private static StepError TimeoutError(StepDefinition step, StepState st) =>
        new($"step '{step.Id}' timed out after {st.TimeoutText ?? step.Timeout}", "Timeout", step.Id);

    private TimeSpan EvaluateDuration(string text, Frame frame, string stepId, string what)
    {
        JsonNode? value = text.Contains("${", StringComparison.Ordinal)
            ? _core.Evaluator.EvaluateTemplate(JsonValue.Create(text), Scope(frame, stepId))
            : JsonValue.Create(text);
        if (Durations.TryParse(value, out var duration)) return duration;
        throw new StepFaultException(new StepError(
            $"{what} of step '{stepId}' is not a duration: {JsonSummary.Of(value, 80)} (write e.g. 30s, 5m, 1h30m, PT5M)", "InvalidDuration", stepId));
    }

    /// <summary>The delay before attempt <paramref name="attempt"/>+1: <c>delay × backoff^(attempt-1)</c>, at most a day.</summary>
    private TimeSpan RetryDelay(StepDefinition step, RetryPolicy retry, int attempt)
    {
        if (!Durations.TryParse(retry.Delay, out var delay))
        {
            Log.InvalidRetryDelay(_logger, InstanceId, step.Id, retry.Delay);
            delay = TimeSpan.FromSeconds(1);
        }
        var factor = Math.Pow(retry.Backoff <= 0 ? 1 : retry.Backoff, Math.Max(0, attempt - 1));
        var ms = Math.Min(delay.TotalMilliseconds * factor, TimeSpan.FromDays(1).TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }
}
