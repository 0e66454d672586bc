using Dev2Prod.Core.Features.Intake;

namespace Dev2Prod.UnitTests.Intake;

public sealed class IntakeValidationTests
{
    [Theory]
    [InlineData("jane@acme.com", "jane@acme.com")]
    [InlineData("  Jane.Doe+intake@Acme.CO.UK ", "Jane.Doe+intake@acme.co.uk")]
    [InlineData("o'brien@dev-shop.io", "o'brien@dev-shop.io")]
    public void ValidEmailsAreAcceptedWithTheDomainLowerCased(string input, string expected)
    {
        Assert.True(IntakeValidation.TryParseEmail(input, out var email));
        Assert.Equal(expected, email);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("@acme.com")]
    [InlineData("jane@acme")]
    [InlineData("jane@acme.c")]
    [InlineData("jane@@acme.com")]
    [InlineData("jane doe@acme.com")]
    [InlineData(".jane@acme.com")]
    [InlineData("jane.@acme.com")]
    [InlineData("ja..ne@acme.com")]
    [InlineData("jane@-acme.com")]
    [InlineData("jane@acme..com")]
    [InlineData("jane@acme.com.")]
    public void InvalidEmailsAreRefused(string input) => Assert.False(IntakeValidation.TryParseEmail(input, out _));

    [Fact]
    public void AnEmailWithALocalPartOver64CharactersIsRefused() =>
        Assert.False(IntakeValidation.TryParseEmail(new string('a', 65) + "@acme.com", out _));

    [Theory]
    [InlineData("+14155552671", "+14155552671")]
    [InlineData("+1 (415) 555-2671", "+14155552671")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("0049 151 1234 5678", "+4915112345678")]
    [InlineData("+49.151.12345678", "+4915112345678")]
    [InlineData("+1234567", "+1234567")]
    [InlineData("+123456789012345", "+123456789012345")]
    public void PhoneNumbersAreNormalisedToE164(string input, string expected)
    {
        Assert.True(IntakeValidation.TryNormalizePhone(input, out var phone));
        Assert.Equal(expected, phone);
    }

    [Theory]
    [InlineData("4155552671")] // no country code
    [InlineData("+0415555267")] // country codes do not start with 0
    [InlineData("+123456")] // 6 digits: too short
    [InlineData("+1234567890123456")] // 16 digits: too long
    [InlineData("+1 415 CALL NOW")]
    [InlineData("")]
    public void InvalidPhoneNumbersAreRefused(string input) => Assert.False(IntakeValidation.TryNormalizePhone(input, out _));

    [Theory]
    [InlineData("14155552671", "+14155552671")]
    [InlineData("+14155552671", "+14155552671")]
    [InlineData("79001234567", "+79001234567")]
    public void APhoneSharedWithTelegramsButtonGetsItsPlus(string input, string expected)
    {
        Assert.True(IntakeValidation.TryNormalizeSharedPhone(input, out var phone));
        Assert.Equal(expected, phone);
    }

    [Theory]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    public void DescriptionsMustHaveTwentyToTwoThousandCharacters(int length, bool valid)
    {
        var text = "A" + new string('b', length - 1);

        var check = IntakeValidation.CheckDescription(text);

        Assert.Equal(valid, check.IsValid);
        Assert.Equal(valid ? text : null, check.Value);
    }

    [Fact]
    public void SurroundingWhiteSpaceDoesNotCountTowardsTheDescription()
    {
        var check = IntakeValidation.CheckDescription("   short but padded    " + new string(' ', 30));

        Assert.False(check.IsValid);
        Assert.Contains("a bit short", check.Error, StringComparison.Ordinal);
        Assert.Contains("(16 characters)", check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345678901234567890123", "in words")]
    [InlineData("too short", "at least 20 characters")]
    public void EachDescriptionProblemHasItsOwnMessage(string text, string message) =>
        Assert.Contains(message, IntakeValidation.CheckDescription(text).Error, StringComparison.Ordinal);

    [Fact]
    public void ATooLongDescriptionSaysByHowMuch() =>
        Assert.Contains("2,001 characters; the limit is 2,000", IntakeValidation.CheckDescription(new string('x', 2001)).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("Jane Doe, Acme Ltd", "Jane Doe", "Acme Ltd")]
    [InlineData("Jane Doe from Acme", "Jane Doe", "Acme")]
    [InlineData("I'm Jane at Acme Inc.", "Jane", "Acme Inc.")]
    [InlineData("My name is Jane Doe; Acme", "Jane Doe", "Acme")]
    [InlineData("Jane Doe - Acme", "Jane Doe", "Acme")]
    [InlineData("Jane Doe", "Jane Doe", null)]
    [InlineData("  Jane   Doe  ", "Jane Doe", null)]
    [InlineData("Imogen Smith", "Imogen Smith", null)]
    public void NameAndCompanyAreSplit(string text, string name, string? company)
    {
        var check = IntakeValidation.CheckNameAndCompany(text);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(new PersonAndCompany(name, company), check.Value);
    }

    [Theory]
    [InlineData("", "your name")]
    [InlineData("1234", "your name")]
    [InlineData("J", "at least 2 letters")]
    [InlineData("jane@acme.com", "next step")]
    [InlineData("https://acme.com", "next step")]
    public void InvalidNamesGetTheirOwnMessage(string text, string message)
    {
        var check = IntakeValidation.CheckNameAndCompany(text);

        Assert.False(check.IsValid);
        Assert.Contains(message, check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlongNamesAreRefused() =>
        Assert.Contains("a bit long", IntakeValidation.CheckNameAndCompany(new string('a', 101)).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("jane@acme.com", "jane@acme.com", null)]
    [InlineData("+14155552671", null, "+14155552671")]
    [InlineData("jane@acme.com, +44 20 7946 0958", "jane@acme.com", "+442079460958")]
    [InlineData("Email: jane@acme.com. Phone: +1 (415) 555-2671.", "jane@acme.com", "+14155552671")]
    [InlineData("call me on 0044 20 7946 0958 please", null, "+442079460958")]
    public void ContactDetailsAreFoundInTheMessage(string text, string? email, string? phone)
    {
        var check = IntakeValidation.CheckContact(text);

        Assert.True(check.IsValid, check.Error);
        Assert.Equal(new ContactDetails(email, phone), check.Value);
    }

    [Theory]
    [InlineData("jane@acme", "doesn't look like a valid email address")]
    [InlineData("jane@acme.com and 415 555 2671", "international format")]
    [InlineData("+1 23", "couldn't find an email address or a phone number")]
    [InlineData("+123 456", "isn't a valid phone number")]
    [InlineData("whenever", "couldn't find an email address or a phone number")]
    public void InvalidContactDetailsGetTheirOwnMessage(string text, string message)
    {
        var check = IntakeValidation.CheckContact(text);

        Assert.False(check.IsValid);
        Assert.Contains(message, check.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("How much does an MVP cost?", true)]
    [InlineData("  do you sign NDAs ?  ", true)]
    [InlineData("Can you build an app like Uber for dog walkers?", true)]
    [InlineData("We need a booking app for our clinics. Can you help?", false)]
    [InlineData("We need a booking app for our clinics.", false)]
    [InlineData("A booking app for clinics, with payments", false)]
    public void ShortSingleQuestionsAreRecognised(string text, bool isQuestion) =>
        Assert.Equal(isQuestion, IntakeValidation.LooksLikeQuestion(text));

    [Fact]
    public void ALongTextEndingWithAQuestionMarkIsNotAShortQuestion() =>
        Assert.False(IntakeValidation.LooksLikeQuestion(new string('a', IntakeValidation.ShortQuestionMaxLength) + "?"));

    [Theory]
    [InlineData("Telegram is fine", true)]
    [InlineData("telegram", true)]
    [InlineData("just here on Telegram please", true)]
    [InlineData("not telegram", false)]
    [InlineData("telegram +14155552671", false)]
    [InlineData("jane@acme.com", false)]
    public void TelegramIsFineCanBeTyped(string text, bool meansTelegram) =>
        Assert.Equal(meansTelegram, IntakeValidation.MeansTelegramIsFine(text));

    [Theory]
    [InlineData("web app", ProjectType.Web)]
    [InlineData("Mobile", ProjectType.Mobile)]
    [InlineData("MVP / prototype", ProjectType.Mvp)]
    [InlineData("devops", ProjectType.DevOps)]
    [InlineData("ai", ProjectType.Ai)]
    public void TypedChoicesAreRecognised(string text, ProjectType expected) =>
        Assert.Equal(expected, IntakeCatalog.ByTypedText(IntakeCatalog.ProjectTypes, text)?.Value);

    [Theory]
    [InlineData("$15-50k", BudgetRange.From15kTo50k)]
    [InlineData("15-50k", BudgetRange.From15kTo50k)]
    [InlineData("150k+", BudgetRange.Over150k)]
    [InlineData("not sure yet", BudgetRange.NotSure)]
    public void TypedBudgetsAreRecognised(string text, BudgetRange expected) =>
        Assert.Equal(expected, IntakeCatalog.ByTypedText(IntakeCatalog.Budgets, text)?.Value);

    [Theory]
    [InlineData("I need a web app for my bakery")]
    [InlineData("")]
    [InlineData("app")]
    public void AnythingElseIsNotTakenAsAChoice(string text) =>
        Assert.Null(IntakeCatalog.ByTypedText(IntakeCatalog.ProjectTypes, text));
}
