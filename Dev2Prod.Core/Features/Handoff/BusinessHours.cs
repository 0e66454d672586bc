using System.Globalization;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>Whether the team is at work at a given instant, and when it next is.</summary>
public sealed class BusinessHours(BusinessHoursOptions options)
{
    private readonly TimeZoneInfo _zone = TryFindTimeZone(options.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, _zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return options.EffectiveDays.Contains(local.DayOfWeek) && time >= options.Start && time < options.End;
    }

    /// <summary>The next opening after <paramref name="at"/> (in the business time zone), or null when no day is a working day.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, _zone);
        for (var day = 0; day <= 7; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(day);
            if (!options.EffectiveDays.Contains(date.DayOfWeek))
            {
                continue;
            }

            var opening = date.ToDateTime(options.Start);
            var offset = _zone.GetUtcOffset(opening);
            var candidate = new DateTimeOffset(opening, offset);
            if (candidate > at)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>"Mon–Fri 09:00–18:00 (Europe/Berlin)".</summary>
    public string Describe()
    {
        var days = options.EffectiveDays.OrderBy(d => ((int)d + 6) % 7).ToList();
        var contiguous = days.Count > 1 && days.Zip(days.Skip(1)).All(p => ((int)p.Second + 6) % 7 - ((int)p.First + 6) % 7 == 1);
        var dayText = contiguous ? $"{Short(days[0])}–{Short(days[^1])}" : string.Join(", ", days.Select(Short));
        return $"{dayText} {options.Start:HH\\:mm}–{options.End:HH\\:mm} ({options.TimeZone})";
    }

    /// <summary>"Monday 09:00 (Europe/Berlin)".</summary>
    public string DescribeOpening(DateTimeOffset opening) =>
        string.Create(CultureInfo.InvariantCulture, $"{opening.DayOfWeek} {opening:HH\\:mm} ({options.TimeZone})");

    private static string Short(DayOfWeek day) => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(day);

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
