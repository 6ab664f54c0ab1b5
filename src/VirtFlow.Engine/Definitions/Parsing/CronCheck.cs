using System.Text.RegularExpressions;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// A light check of Quartz cron expressions (the scheduler's format): 6 or 7 fields, seconds first,
/// each made of the characters Quartz accepts. The scheduler itself gives the final word.
/// </summary>
internal static partial class CronCheck
{
    private const string Example = "e.g. \"0 0 3 * * ?\" (every day at 03:00): seconds minutes hours day-of-month month day-of-week [year]";

    /// <summary>What is wrong with <paramref name="cron"/>, or null when it looks right.</summary>
    public static string? Problem(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length is < 6 or > 7)
            return $"cron '{cron}' has {fields.Length} fields, Quartz cron needs 6 or 7: {Example}";
        foreach (var field in fields)
        {
            if (!FieldPattern().IsMatch(field))
                return $"cron '{cron}': field '{field}' is not valid: {Example}";
        }

        if (fields[3] != "?" && fields[5] != "?")
            return $"cron '{cron}': Quartz needs '?' in day-of-month or day-of-week: {Example}";
        return null;
    }

    [GeneratedRegex("^[0-9A-Za-z*?,/#-]+$")]
    private static partial Regex FieldPattern();
}
