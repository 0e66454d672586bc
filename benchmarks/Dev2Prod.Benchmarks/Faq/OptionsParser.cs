using System.Globalization;
using Dev2Prod.Core.Features.Faq;

namespace Dev2Prod.Benchmarks.Faq;

/// <summary>Reads <c>--set Name=Value,Name=Value</c> overrides of <see cref="IntentClassifierOptions"/> (for experiments).</summary>
internal static class OptionsParser
{
    public static IntentClassifierOptions Parse(string[] args)
    {
        var options = IntentClassifierOptions.Default;
        var text = Measure.Option(args, "--set");
        if (string.IsNullOrWhiteSpace(text))
        {
            return options;
        }

        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = (pair.Split('=')[0], pair.Split('=')[1]);
            var property = typeof(IntentClassifierOptions).GetProperty(name)
                ?? throw new ArgumentException($"unknown option {name}");
            var converted = Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture);
            options = options with { };
            property.SetValue(options, converted);
        }

        return options;
    }
}
