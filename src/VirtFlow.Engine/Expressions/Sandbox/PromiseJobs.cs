using Jint.Runtime;
using JsEngine = Jint.Engine;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Notes that script registered a promise callback (a <c>then</c>, an <c>await</c>, a thenable adopted): only then can
/// an evaluation leave a job queued, so only then does <see cref="EngineHost"/> pay for discarding the queue.
/// </summary>
internal sealed class PromiseJobs : JobCallbackHooks
{
    /// <summary>Set by a registration; cleared by whoever discards the queue.</summary>
    public bool Registered { get; set; }

    protected override object? Capture(JsEngine engine)
    {
        Registered = true;
        return null;
    }

    protected override object? Enter(JsEngine engine, object hostDefined) => null;

    protected override void Exit(JsEngine engine, object? token)
    {
    }
}
