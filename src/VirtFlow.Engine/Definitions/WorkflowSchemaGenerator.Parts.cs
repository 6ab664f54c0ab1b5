using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions;

/// <summary>The pieces of the schema: steps, inputs, triggers, structural types and activities.</summary>
public static partial class WorkflowSchemaGenerator
{
    private static JsonObject Step(IReadOnlyList<ActivityDescriptor> activities)
    {
        var types = StepTypes.All.Concat(activities.Select(a => a.Type)).ToList();
        var branches = new JsonArray();
        foreach (var type in types)
        {
            var target = StepTypes.IsStructural(type) ? "step:" + type : ActivityDef(type);
            branches.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type } },
                    ["required"] = new JsonArray("type"),
                },
                ["then"] = Ref(target),
            });
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("type"),
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject
                {
                    ["enum"] = new JsonArray(types.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
                    ["description"] = "A control-flow type, or an activity.",
                },
            },
            ["allOf"] = branches,
        };
    }

    /// <summary>The fields every step has, plus <paramref name="specific"/>.</summary>
    private static JsonObject StepSchema(string type, string description, JsonObject specific, params string[] required)
    {
        var properties = new JsonObject
        {
            ["type"] = new JsonObject { ["const"] = type },
            ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z_][A-Za-z0-9_-]*$", ["description"] = "Unique in the file; lets later steps use steps.ID." },
            ["name"] = new JsonObject { ["type"] = "string" },
            ["if"] = Ref("condition"),
            ["timeout"] = Ref("duration"),
            ["retry"] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("maxAttempts"),
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["maxAttempts"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                    ["delay"] = Ref("duration"),
                    ["backoff"] = new JsonObject { ["type"] = "number", ["minimum"] = 1 },
                },
            },
            ["continueOnError"] = new JsonObject { ["type"] = "boolean" },
        };
        foreach (var (name, schema) in specific.ToList())
        {
            specific.Remove(name);
            properties[name] = schema;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
            ["required"] = new JsonArray(required.Prepend("type").Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
    }

    private static IEnumerable<(string Name, JsonObject Schema)> StructuralSchemas()
    {
        var steps = Ref("steps");
        yield return ("step:sequence", StepSchema(StepTypes.Sequence, "Runs its steps one after another.", new JsonObject { ["steps"] = Ref("steps") }));
        yield return ("step:parallel", StepSchema(StepTypes.Parallel, "Runs every branch at once; done when all are.", new JsonObject
        {
            ["branches"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(
                        Ref("steps"),
                        new JsonObject
                        {
                            ["type"] = "object",
                            ["required"] = new JsonArray("steps"),
                            ["additionalProperties"] = false,
                            ["properties"] = new JsonObject { ["steps"] = Ref("steps") },
                        }),
                },
            },
        }, "branches"));
        yield return ("step:forEach", StepSchema(StepTypes.ForEach, "Runs its steps for each item of a list.", new JsonObject
        {
            ["items"] = new JsonObject { ["anyOf"] = new JsonArray(Ref("expression"), new JsonObject { ["type"] = "array" }) },
            ["as"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z_$][A-Za-z0-9_$]*$", ["default"] = "item" },
            ["maxParallelism"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["default"] = 1 },
            ["steps"] = Ref("steps"),
        }, "items"));
        yield return ("step:if", StepSchema(StepTypes.If, "Runs 'then' when the condition is truthy, else 'else'.", new JsonObject
        {
            ["condition"] = Ref("condition"),
            ["then"] = Ref("steps"),
            ["else"] = Ref("steps"),
        }, "condition"));
        yield return ("step:switch", StepSchema(StepTypes.Switch, "Runs the steps of the first case whose value equals 'value', else 'default'.", new JsonObject
        {
            ["value"] = new JsonObject { ["type"] = "string" },
            ["cases"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("value"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject { ["value"] = new JsonObject(), ["steps"] = Ref("steps") },
                },
            },
            ["default"] = Ref("steps"),
        }, "value"));
        yield return ("step:while", StepSchema(StepTypes.While, "Repeats its steps while the condition is truthy.", new JsonObject
        {
            ["condition"] = Ref("condition"),
            ["maxIterations"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["default"] = 1000 },
            ["steps"] = Ref("steps"),
        }, "condition"));
        yield return ("step:try", StepSchema(StepTypes.Try, "Runs its steps; on a fault runs 'catch' (with 'error'); always runs 'finally'.", new JsonObject
        {
            ["steps"] = steps,
            ["catch"] = Ref("steps"),
            ["finally"] = Ref("steps"),
        }));
    }

    private static JsonObject Activity(ActivityDescriptor activity)
    {
        var inputs = new JsonObject();
        foreach (var input in activity.Inputs)
            inputs[input.Name] = InputSchema(input);
        var with = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = inputs,
            ["additionalProperties"] = activity.AllowsExtraInputs,
        };
        var required = activity.Inputs.Where(i => i.Required && i.Default is null).Select(i => (JsonNode)JsonValue.Create(i.Name)).ToArray();
        if (required.Length > 0)
            with["required"] = new JsonArray(required);
        var schema = StepSchema(activity.Type, activity.Description, new JsonObject { ["with"] = with }, required.Length > 0 ? ["with"] : []);
        schema["title"] = activity.Type;
        return schema;
    }

    private static JsonObject InputSchema(ActivityInput input)
    {
        JsonObject typed = input.Type switch
        {
            "string" or "script" => new JsonObject { ["type"] = "string" },
            "number" => new JsonObject { ["type"] = "number" },
            "integer" => new JsonObject { ["type"] = "integer" },
            "boolean" => new JsonObject { ["type"] = "boolean" },
            "array" => input.ItemSchema is { } items
                ? new JsonObject { ["type"] = "array", ["items"] = items.DeepClone() }
                : new JsonObject { ["type"] = "array" },
            "object" => new JsonObject { ["type"] = "object" },
            "duration" => Ref("duration"),
            _ => new JsonObject(),
        };
        if (input.Enum is { Count: > 0 } allowed)
            typed = new JsonObject { ["enum"] = new JsonArray(allowed.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()) };
        var schema = input.Type is "string" or "script" or "any" or "duration" && input.Enum is null
            ? typed
            : new JsonObject { ["anyOf"] = new JsonArray(typed, Ref("expression")) };
        schema["description"] = input.Description;
        if (input.Default is not null)
            schema["default"] = input.Default.DeepClone();
        return schema;
    }

    private static JsonObject Input() => new()
    {
        ["anyOf"] = new JsonArray(
            new JsonObject { ["enum"] = InputTypeNames(), ["description"] = "Shorthand: only the type." },
            new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["type"] = new JsonObject { ["enum"] = InputTypeNames(), ["default"] = "any" },
                    ["default"] = new JsonObject(),
                    ["required"] = new JsonObject { ["type"] = "boolean" },
                    ["description"] = new JsonObject { ["type"] = "string" },
                    ["enum"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                    ["items"] = new JsonObject { ["type"] = "object" },
                },
            }),
    };

    private static JsonArray InputTypeNames() =>
        new(Enum.GetNames<InputType>().Select(n => (JsonNode)JsonValue.Create(n.ToLowerInvariant())).ToArray());

    private static JsonObject Trigger()
    {
        JsonObject Kind(string type, JsonObject fields, params string[] required)
        {
            fields["type"] = new JsonObject { ["const"] = type };
            fields["inputs"] = new JsonObject { ["type"] = "object" };
            fields["description"] = new JsonObject { ["type"] = "string" };
            return new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = type } } },
                ["then"] = new JsonObject
                {
                    ["required"] = new JsonArray(required.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
                    ["additionalProperties"] = false,
                    ["properties"] = fields,
                },
            };
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("type"),
            ["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = new JsonArray("message", "schedule", "manual") } },
            ["allOf"] = new JsonArray(
                Kind("message", MessageTriggerFields(), "messageType"),
                Kind("schedule", ScheduleTriggerFields(), "cron"),
                Kind("manual", new JsonObject())),
        };
    }

    private static JsonObject ScheduleTriggerFields() => new()
    {
        ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z_][A-Za-z0-9_-]*$", ["description"] = "The schedule's id within its workflow (default schedule1, schedule2, ...): the schedule is {workflow}:{id}." },
        ["cron"] = new JsonObject { ["type"] = "string", ["description"] = "Cron: 5 fields (minutes hours day-of-month month day-of-week, e.g. \"0 2 * * *\"; day names, not numbers) or Quartz's 6-7 (seconds first, e.g. \"0 0 2 * * ?\")." },
        ["timeZone"] = new JsonObject { ["type"] = "string", ["description"] = "IANA time zone of the cron (default UTC), e.g. Europe/Berlin." },
        ["overlap"] = new JsonObject { ["enum"] = new JsonArray("skip", "bufferOne", "allow", "cancelOther"), ["description"] = "While an instance of this schedule still runs: skip (default), bufferOne, allow, cancelOther." },
        ["catchupWindow"] = new JsonObject { ["$ref"] = "#/$defs/duration", ["description"] = "Missed firings older than this are skipped and recorded (default 1h)." },
        ["jitter"] = new JsonObject { ["$ref"] = "#/$defs/duration", ["description"] = "A random delay up to this before the instance starts (default none)." },
        ["pauseOnFailure"] = new JsonObject { ["type"] = "boolean", ["description"] = "Pause the schedule when one of its instances faults (default false)." },
    };
}
