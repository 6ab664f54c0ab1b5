using System.Globalization;
using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.Tests.Support;

/// <summary>Reading JSON values in assertions, whatever CLR type backs them.</summary>
public static class Json
{
    public static long Long(JsonNode? node) => long.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    public static string Text(JsonNode? node) => node!.GetValue<string>();
}
