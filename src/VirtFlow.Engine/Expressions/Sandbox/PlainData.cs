using Jint;
using Jint.Native;
using Jint.Native.Object;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// Whether a value is plain data (primitives, arrays and plain objects with data properties only: nothing whose
/// conversion runs code) whose JSON text is surely no longer than a bound. Such a value is serialized directly; any
/// other goes through the bounded <c>JSON.stringify</c> in the engine (<see cref="SandboxBootstrap"/>).
/// </summary>
internal static class PlainData
{
    private const int MaxDepth = 128;

    /// <summary>True when <paramref name="value"/> is plain data of at most <paramref name="maxChars"/> characters of JSON.</summary>
    public static bool IsWithin(JsValue value, long maxChars)
    {
        var budget = maxChars;
        return Fits(value, ref budget, 0);
    }

    private static bool Fits(JsValue value, ref long budget, int depth)
    {
        switch (value)
        {
            case JsString s:
                budget -= 6L * s.Length + 2; // every character escaped (\u0000) at worst
                return budget >= 0;
            case JsNumber or JsBoolean or JsNull or JsUndefined:
                budget -= 25;
                return budget >= 0;
            case JsArray array when depth < MaxDepth:
                for (uint i = 0; i < array.Length; i++)
                {
                    budget -= 1;
                    if (!Fits(array.Get(i), ref budget, depth + 1))
                        return false;
                }

                return budget >= 0;
            case JsObject obj when depth < MaxDepth && obj.GetType() == typeof(JsObject):
                foreach (var (key, descriptor) in obj.GetOwnProperties())
                {
                    if (descriptor.IsAccessorDescriptor())
                        return false;
                    if (!key.IsString() || !descriptor.Enumerable)
                        continue;
                    budget -= 6L * key.AsString().Length + 3;
                    if (!Fits(descriptor.Value, ref budget, depth + 1))
                        return false;
                }

                return budget >= 0;
            default:
                return false;
        }
    }
}
