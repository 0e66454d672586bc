using Microsoft.Extensions.Compliance.Classification;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// The product's data taxonomy for logs. Every log parameter that can carry data about a person is marked with
/// one of its attributes; the logging pipeline (<see cref="LogRedaction"/>) then redacts it before any provider
/// (console, OpenTelemetry) sees it.
/// <list type="bullet">
/// <item><see cref="PersonalData"/>: what a person wrote or is called: names, @usernames, phone numbers, e-mail
/// addresses, message and intake text, contact cards, file names. Always erased: logs never need it.</item>
/// <item><see cref="Identifier"/>: values that point at a person without saying who it is: Telegram user and chat
/// ids, IP addresses. Replaced by a keyed HMAC where a key is configured (production), so one user's log lines
/// can still be grouped without revealing the id; erased otherwise.</item>
/// </list>
/// Unmarked parameters must be free of personal data (ids of our own rows, counts, error types, enum values).
/// </summary>
public static class DataTaxonomy
{
    public const string Name = "Dev2Prod";

    public static DataClassification PersonalData { get; } = new(Name, nameof(PersonalData));

    public static DataClassification Identifier { get; } = new(Name, nameof(Identifier));
}

/// <summary>Names, usernames, phone numbers, e-mails, message text, file names: always erased from logs.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PersonalDataAttribute() : DataClassificationAttribute(DataTaxonomy.PersonalData);

/// <summary>Telegram user/chat ids and IP addresses: HMAC-pseudonymised in production, erased elsewhere.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class IdentifierAttribute() : DataClassificationAttribute(DataTaxonomy.Identifier);
