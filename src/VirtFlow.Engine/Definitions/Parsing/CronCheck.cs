using System.Text.RegularExpressions;

namespace VirtFlow.Engine.Definitions.Parsing;

/// <summary>
/// A light check of cron expressions: Quartz's (the scheduler's format: 6 or 7 fields, seconds first, each made of the
/// characters Quartz accepts), or the common 5-field form (minutes hours day-of-month month day-of-week), which
/// <see cref="ToQuartz"/> turns into Quartz's. The scheduler itself gives the final word.
/// </summary>
internal static partial class CronCheck
{
    private const string Example = "e.g. \"0 0 3 * * ?\" (every day at 03:00): seconds minutes hours day-of-month month day-of-week [year]";

    /// <summary>
    /// The Quartz form of <paramref name="cron"/>: a 5-field cron gets seconds 0 and a '?' in whichever day field is
    /// '*' ("0 2 * * *" → "0 0 2 * * ?"); anything else is returned as it is (the check says what is wrong with it).
    /// </summary>
    public static string ToQuartz(string cron)
    {
        var f = Fields(cron);
        if (f.Length != 5 || Problem5(cron, f) is not null) return cron;
        var (dom, dow) = (f[2], f[4]);
        if (dow == "*") dow = "?";
        else if (dom == "*") dom = "?";
        return $"0 {f[0]} {f[1]} {dom} {f[3]} {dow}";
    }

    /// <summary>What is wrong with <paramref name="cron"/>, or null when it looks right.</summary>
    public static string? Problem(string cron)
    {
        var fields = Fields(cron);
        if (fields.Length == 5)
            return Problem5(cron, fields) ?? Problem(ToQuartz(cron));
        if (fields.Length is < 6 or > 7)
            return $"cron '{cron}' has {fields.Length} fields: write 5 (minutes hours day-of-month month day-of-week) or Quartz's 6 or 7: {Example}";
        foreach (var field in fields)
        {
            if (!FieldPattern().IsMatch(field))
                return $"cron '{cron}': field '{field}' is not valid: {Example}";
        }

        if (fields[3] != "?" && fields[5] != "?")
            return $"cron '{cron}': Quartz needs '?' in day-of-month or day-of-week: {Example}";
        return null;
    }

    private static string[] Fields(string cron) => cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // What a 5-field cron cannot say in Quartz's terms without guessing.
    private static string? Problem5(string cron, string[] f)
    {
        if (f[4].Any(char.IsAsciiDigit))
            return $"cron '{cron}': a 5-field day-of-week in numbers is ambiguous here (cron counts Sunday as 0, Quartz as 1): write names (MON-FRI) or Quartz's form, {Example}";
        if (f[2] != "*" && f[2] != "?" && f[4] != "*" && f[4] != "?")
            return $"cron '{cron}': a day-of-month and a day-of-week together (cron's 'either') has no Quartz form: use two schedules";
        return null;
    }

    [GeneratedRegex("^[0-9A-Za-z*?,/#-]+$")]
    private static partial Regex FieldPattern();
}
