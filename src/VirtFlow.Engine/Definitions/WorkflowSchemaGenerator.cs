using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Engine.Definitions;

/// <summary>
/// The JSON Schema (draft 2020-12) of workflow files for a catalog: editors use it for completion and
/// checks (YAML: <c># yaml-language-server: $schema=../schema/workflow.schema.json</c>; JSON: <c>"$schema"</c>).
/// A step is matched on its <c>type</c> (<c>if</c>/<c>then</c> per type): structural types get their fields,
/// each activity its <c>with:</c> inputs from its descriptor. Values that are templates (<c>${ }</c>) are
/// accepted wherever a number, boolean, list or object is expected.
/// The repository's <c>workflows/schema/workflow.schema.json</c> is this for the built-in catalog:
/// regenerate it with <c>dotnet run --project src/VirtFlow.Cli -- validate --write-schema workflows/schema/workflow.schema.json</c>.
/// </summary>
public static partial class WorkflowSchemaGenerator
{
    /// <summary>The schema's <c>$id</c>.</summary>
    public const string SchemaId = "https://virtflow.dev/schema/workflow.schema.json";

    /// <summary>Builds the schema for <paramref name="catalog"/> (activities in type order, so the output is stable).</summary>
    public static JsonObject Generate(IActivityCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var activities = catalog.All.OrderBy(a => a.Type, StringComparer.Ordinal).ToList();
        var defs = new JsonObject
        {
            ["expression"] = new JsonObject
            {
                ["type"] = "string",
                ["pattern"] = @"^\s*\$\{[\s\S]*\}\s*$",
                ["description"] = "A template whose whole value is one ${ expression }: it gives the expression's value, of any JSON type.",
            },
            ["duration"] = new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "string", ["pattern"] = DurationPattern },
                    new JsonObject { ["type"] = "number", ["minimum"] = 0, ["description"] = "Seconds." },
                    Ref("expression")),
                ["description"] = Duration.Hint,
            },
            ["condition"] = new JsonObject
            {
                ["type"] = new JsonArray("string", "boolean"),
                ["description"] = "A JavaScript expression (bare, or as ${ }); the step runs when it is truthy.",
            },
            ["steps"] = new JsonObject { ["type"] = "array", ["items"] = Ref("step") },
            ["step"] = Step(activities),
            ["input"] = Input(),
            ["trigger"] = Trigger(),
        };
        foreach (var (name, schema) in StructuralSchemas())
            defs[name] = schema;
        foreach (var activity in activities)
            defs[ActivityDef(activity.Type)] = Activity(activity);

        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = SchemaId,
            ["title"] = "VirtFlow workflow",
            ["description"] = "One workflow: its inputs, outputs, triggers, variables and steps.",
            ["type"] = "object",
            ["required"] = new JsonArray("name", "steps"),
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["$schema"] = new JsonObject { ["type"] = "string" },
                ["name"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z0-9][A-Za-z0-9_.-]*$", ["description"] = "The workflow's name (how it is started)." },
                ["version"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["default"] = 1 },
                ["description"] = new JsonObject { ["type"] = "string" },
                ["lock"] = new JsonObject
                {
                    ["type"] = "string",
                    ["minLength"] = 1,
                    ["description"] = "The resource an instance holds while it runs, a template over the inputs (e.g. \"vm:${ inputs.host }/${ inputs.vm }\"): a start whose key is held by an instance that has not ended is refused, naming it.",
                },
                ["inputs"] = new JsonObject
                {
                    ["type"] = "object",
                    ["propertyNames"] = new JsonObject { ["pattern"] = "^[A-Za-z_$][A-Za-z0-9_$]*$" },
                    ["additionalProperties"] = Ref("input"),
                },
                ["outputs"] = new JsonObject { ["type"] = "object", ["description"] = "Output name → template, evaluated when the workflow completes." },
                ["triggers"] = new JsonObject { ["type"] = "array", ["items"] = Ref("trigger") },
                ["variables"] = new JsonObject
                {
                    ["type"] = "object",
                    ["propertyNames"] = new JsonObject { ["pattern"] = "^[A-Za-z_$][A-Za-z0-9_$]*$" },
                    ["description"] = "Initial variables (vars.NAME).",
                },
                ["steps"] = Ref("steps"),
            },
            ["$defs"] = defs,
        };
    }

    /// <summary>The schema as indented JSON text ending with a newline (the form of the file in the repository).</summary>
    public static string GenerateText(IActivityCatalog catalog) =>
        Generate(catalog).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    /// <summary>Writes <see cref="GenerateText"/> to <paramref name="path"/> (UTF-8, no BOM), creating its folder.</summary>
    public static void WriteFile(IActivityCatalog catalog, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, GenerateText(catalog), new UTF8Encoding(false));
    }

    private const string DurationPattern = @"^\s*(\d+(\.\d+)?\s*(w|d|h|m|s|ms)\s*)+$|^[Pp]([0-9.]+[WwDd])*([Tt]([0-9.]+[HhMmSs])+)?$|^\d+(\.\d+)?$|^\d+(\.\d+:)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$";

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/$defs/{name}" };

    private static string ActivityDef(string type) => "activity:" + type;
}
