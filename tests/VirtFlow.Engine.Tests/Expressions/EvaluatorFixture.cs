using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Tests.Expressions;

/// <summary>A shared evaluator and a scope with some inputs, variables and step outputs.</summary>
internal static class EvaluatorFixture
{
    public static JintExpressionEvaluator Evaluator { get; } = new();

    public static ExpressionScope Scope(string? stepId = "mirror", JsonObject? locals = null) => new()
    {
        StepId = stepId,
        Inputs = new JsonObject
        {
            ["vm"] = "web-1",
            ["count"] = 3,
            ["ratio"] = 1.5,
            ["force"] = false,
            ["disks"] = new JsonArray("vda", "vdb"),
            ["spec"] = new JsonObject { ["size"] = 10, ["tags"] = new JsonArray("a") },
            ["nothing"] = null,
        },
        Variables = new JsonObject { ["counter"] = 1, ["keep"] = "yes" },
        Steps = new JsonObject
        {
            ["copy"] = new JsonObject { ["status"] = "Completed", ["outputs"] = new JsonObject { ["job"] = "job-1" } },
        },
        Instance = new JsonObject { ["id"] = "i-1", ["workflow"] = "migrate", ["correlationId"] = "c-1" },
        Locals = locals ?? new JsonObject(),
    };
}
