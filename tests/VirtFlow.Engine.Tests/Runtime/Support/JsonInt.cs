using System.Globalization;
using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>Numbers out of JSON whatever CLR type holds them (Jint gives doubles or longs, the parser longs).</summary>
public static class JsonInt
{
    public static int Of(JsonNode? node) => (int)double.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);
}
