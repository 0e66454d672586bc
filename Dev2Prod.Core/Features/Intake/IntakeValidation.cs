using System.Globalization;
using System.Text.RegularExpressions;

namespace Dev2Prod.Core.Features.Intake;

/// <summary>The outcome of checking one answer: the value to keep, or the message that says what is wrong.</summary>
public sealed record IntakeCheck<T>(T? Value, string? Error)
{
    public bool IsValid => Error is null;

    public static IntakeCheck<T> Ok(T value) => new(value, null);

    public static IntakeCheck<T> Invalid(string error) => new(default, error);
}

/// <summary>Name and company from step 5.</summary>
public sealed record PersonAndCompany(string Name, string? Company);

/// <summary>Contact details from step 6: an email, a phone number, or both.</summary>
public sealed record ContactDetails(string? Email, string? Phone);

/// <summary>
/// Checks of the free-text answers. Pure functions; the error texts are plain text (the flow escapes them)
/// and say what to send instead.
/// </summary>
public static partial class IntakeValidation
{
    public const int DescriptionMinLength = 20;
    public const int DescriptionMaxLength = 2000;
    public const int NameMaxLength = 100;
    public const int CompanyMaxLength = 100;

    /// <summary>A question is short when it has at most this many characters.</summary>
    public const int ShortQuestionMaxLength = 150;

    /// <summary>Step 2: 20-2000 characters of words, surrounding white space ignored.</summary>
    public static IntakeCheck<string> CheckDescription(string text)
    {
        var description = text.Trim();
        if (!description.Any(char.IsLetter))
        {
            return IntakeCheck<string>.Invalid("Please describe your project in words: what should it do, and who is it for?");
        }

        if (description.Length < DescriptionMinLength)
        {
            return IntakeCheck<string>.Invalid(
                $"That's a bit short for us to understand the project ({description.Length} characters). " +
                $"Please write at least {DescriptionMinLength} characters: what it should do and who it's for.");
        }

        if (description.Length > DescriptionMaxLength)
        {
            return IntakeCheck<string>.Invalid(
                $"That's {description.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; the limit is " +
                $"{DescriptionMaxLength.ToString("N0", CultureInfo.InvariantCulture)}. Please shorten it to the essentials: " +
                "you can share the details with our team later.");
        }

        return IntakeCheck<string>.Ok(description);
    }

    /// <summary>
    /// Step 5: "Jane Doe, Acme Ltd", "Jane Doe from Acme", "I'm Jane at Acme" or just "Jane Doe". The name is
    /// required, the company is optional.
    /// </summary>
    public static IntakeCheck<PersonAndCompany> CheckNameAndCompany(string text)
    {
        var value = WhiteSpace().Replace(text.Trim(), " ");
        value = Introduction().Replace(value, "").Trim();
        if (!value.Any(char.IsLetter))
        {
            return IntakeCheck<PersonAndCompany>.Invalid("Please tell me your name, and your company if you have one (for example: Jane Doe, Acme Ltd).");
        }

        if (value.Contains('@', StringComparison.Ordinal) || value.Contains("://", StringComparison.Ordinal))
        {
            return IntakeCheck<PersonAndCompany>.Invalid("Your contact details come in the next step. For now, just your name and company (for example: Jane Doe, Acme Ltd).");
        }

        var parts = CompanySeparator().Split(value, 2);
        var name = parts[0].Trim().Trim(',', ';', '-', '|', '/').Trim();
        var company = parts.Length > 1 ? parts[1].Trim().Trim(',', ';', '-', '|', '/').Trim() : null;
        if (name.Length < 2 || !name.Any(char.IsLetter))
        {
            return IntakeCheck<PersonAndCompany>.Invalid("Please start with your name (at least 2 letters), then your company, for example: Jane Doe, Acme Ltd.");
        }

        if (name.Length > NameMaxLength || company?.Length > CompanyMaxLength)
        {
            return IntakeCheck<PersonAndCompany>.Invalid(
                $"That's a bit long. Please send just your name and company name (up to {NameMaxLength} characters each), for example: Jane Doe, Acme Ltd.");
        }

        return IntakeCheck<PersonAndCompany>.Ok(new PersonAndCompany(name, string.IsNullOrWhiteSpace(company) ? null : company));
    }

    /// <summary>
    /// Step 6: an email address and/or a phone number in one message ("jane@acme.com, +44 20 7946 0958").
    /// Every address or number found must be valid: a typo is pointed out rather than silently dropped.
    /// </summary>
    public static IntakeCheck<ContactDetails> CheckContact(string text)
    {
        string? email = null;
        var rest = text;
        foreach (Match candidate in EmailCandidate().Matches(text))
        {
            var token = candidate.Value.Trim().TrimEnd('.', ',', ';', ')', '!', '?');
            if (!TryParseEmail(token, out var parsed))
            {
                return IntakeCheck<ContactDetails>.Invalid($"\"{token}\" doesn't look like a valid email address. Please check it (for example: jane@company.com).");
            }

            email ??= parsed;
            rest = rest.Replace(candidate.Value, " ", StringComparison.Ordinal);
        }

        string? phone = null;
        foreach (Match candidate in PhoneCandidate().Matches(rest))
        {
            if (!TryNormalizePhone(candidate.Value, out var parsed))
            {
                var shown = candidate.Value.Trim();
                return IntakeCheck<ContactDetails>.Invalid(shown.StartsWith('+') || shown.StartsWith("00", StringComparison.Ordinal)
                    ? $"\"{shown}\" isn't a valid phone number. An international number has 7 to 15 digits after the +, for example: +14155552671."
                    : $"Please write the phone number in international format with the country code, starting with +, for example: +14155552671 (you sent \"{shown}\").");
            }

            phone ??= parsed;
        }

        if (email is null && phone is null)
        {
            return IntakeCheck<ContactDetails>.Invalid(
                "I couldn't find an email address or a phone number in that. Please send one (for example: jane@company.com or +14155552671), " +
                "share your number with the button below, or tap \"Telegram is fine\".");
        }

        return IntakeCheck<ContactDetails>.Ok(new ContactDetails(email, phone));
    }

    /// <summary>
    /// A practical email check: one @, a local part of allowed characters without leading, trailing or double
    /// dots, a domain of valid labels and a top-level domain of at least two letters. The domain is lower-cased.
    /// </summary>
    public static bool TryParseEmail(string? input, out string email)
    {
        email = "";
        var value = input?.Trim() ?? "";
        if (value.Length is 0 or > 254 || !EmailFormat().IsMatch(value))
        {
            return false;
        }

        var at = value.LastIndexOf('@');
        var local = value[..at];
        var domain = value[(at + 1)..].ToLowerInvariant();
        if (local.Length > 64 || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        email = $"{local}@{domain}";
        return true;
    }

    /// <summary>
    /// Normalises a phone number to E.164 (+ and 7-15 digits, no leading zero): spaces, dashes, dots and
    /// parentheses are dropped and a leading 00 becomes +. A number without a country code is refused.
    /// </summary>
    public static bool TryNormalizePhone(string? input, out string e164)
    {
        e164 = "";
        var value = PhoneSeparators().Replace(input?.Trim() ?? "", "");
        if (value.StartsWith("00", StringComparison.Ordinal))
        {
            value = "+" + value[2..];
        }

        if (!E164().IsMatch(value))
        {
            return false;
        }

        e164 = value;
        return true;
    }

    /// <summary>
    /// A number shared with Telegram's contact button: Telegram sends it with or without the +, always with
    /// the country code.
    /// </summary>
    public static bool TryNormalizeSharedPhone(string? phoneNumber, out string e164)
    {
        var value = phoneNumber?.Trim() ?? "";
        return TryNormalizePhone(value.StartsWith('+') || value.StartsWith("00", StringComparison.Ordinal) ? value : "+" + value, out e164);
    }

    /// <summary>"Telegram is fine", "telegram", "just here in Telegram": no email or number, and Telegram is named.</summary>
    public static bool MeansTelegramIsFine(string text) =>
        text.Contains("telegram", StringComparison.OrdinalIgnoreCase)
        && !text.Contains('@', StringComparison.Ordinal)
        && !text.Any(char.IsDigit)
        && !text.Contains("not", StringComparison.OrdinalIgnoreCase)
        && !text.Contains("n't", StringComparison.OrdinalIgnoreCase);

    /// <summary>The domain of a valid email address, lower case, or null.</summary>
    public static string? DomainOf(string? email) =>
        TryParseEmail(email, out var parsed) ? parsed[(parsed.LastIndexOf('@') + 1)..] : null;

    /// <summary>
    /// A short, single question ("How much does an MVP cost?"): it ends with a question mark, has at most
    /// <see cref="ShortQuestionMaxLength"/> characters and no other sentence before it. A description that
    /// happens to end with a question ("We need a booking app for clinics. Can you help?") is not one.
    /// </summary>
    public static bool LooksLikeQuestion(string text)
    {
        var value = text.Trim();
        if (value.Length is 0 or > ShortQuestionMaxLength || !(value.EndsWith('?') || value.EndsWith('？')))
        {
            return false;
        }

        return !SentenceBreak().IsMatch(value.TrimEnd('?', '？', ' ', '!'));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"^(?:hi|hello|hey)?[,!.]?\s*(?:my name is|my name's|i am|i'm|im|this is|it's|name:)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Introduction();

    [GeneratedRegex(@"\s*[,;|/\n]\s*|\s+(?:from|at|with|of|@|-|–)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex CompanySeparator();

    [GeneratedRegex(@"\S*@\S*")]
    private static partial Regex EmailCandidate();

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex EmailFormat();

    /// <summary>Something that is meant as a phone number: 5 or more digits, possibly grouped, possibly after + or 00.</summary>
    [GeneratedRegex(@"(?:\+\s*)?\(?\d[\d\s().\-]{3,}\d")]
    private static partial Regex PhoneCandidate();

    [GeneratedRegex(@"[\s().\-]")]
    private static partial Regex PhoneSeparators();

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164();

    /// <summary>The end of one sentence followed by another.</summary>
    [GeneratedRegex(@"[.!?]\s+\S")]
    private static partial Regex SentenceBreak();
}
