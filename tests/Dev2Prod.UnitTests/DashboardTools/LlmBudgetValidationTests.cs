using Dev2Prod.Admin.Features.Llm;

namespace Dev2Prod.UnitTests.DashboardTools;

/// <summary>Which daily budgets an admin may set.</summary>
public sealed class LlmBudgetValidationTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("12.5")]
    [InlineData("100000")]
    public void SensibleAmountsAreAccepted(string amount) =>
        Assert.Null(LlmBudget.Validate(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(null, "Enter an amount")]
    [InlineData("-0.01", "cannot be negative")]
    [InlineData("100000.01", "At most 100,000")]
    [InlineData("1.005", "two decimals")]
    public void OtherAmountsAreRefusedWithTheReason(string? amount, string expected)
    {
        decimal? value = amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains(expected, LlmBudget.Validate(value), StringComparison.Ordinal);
    }
}
