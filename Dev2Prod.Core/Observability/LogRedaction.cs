using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dev2Prod.Core.Observability;

/// <summary>
/// Redaction of classified log parameters (<see cref="DataTaxonomy"/>) with Microsoft.Extensions.Compliance.Redaction.
/// <see cref="DataTaxonomy.PersonalData"/> is always erased. <see cref="DataTaxonomy.Identifier"/> is replaced by an
/// HMAC-SHA256 of the value when <c>Redaction:HmacKey</c> is set (production: a base64 key of at least 32 bytes
/// from the secret store, plus an optional <c>Redaction:HmacKeyId</c> to tell rotated keys apart) and erased when it
/// is not (development, tests). A missing key does not stop start-up: erasing is the safe fallback, it only loses
/// the ability to group one user's lines. A key that is set but unusable does stop it, naming the key.
/// </summary>
public static class LogRedaction
{
    public const string HmacKeySetting = "Redaction:HmacKey";
    public const string HmacKeyIdSetting = "Redaction:HmacKeyId";

    /// <summary>Turns on redaction in the logging pipeline and picks the redactors from configuration.</summary>
    public static IHostApplicationBuilder AddLogRedaction(this IHostApplicationBuilder builder)
    {
        var hmacKey = builder.Configuration[HmacKeySetting];
        if (!string.IsNullOrWhiteSpace(hmacKey) && !IsUsableKey(hmacKey))
        {
            throw new InvalidOperationException($"{HmacKeySetting} must be a base64 string of at least 32 bytes (44 characters).");
        }

        var keyId = int.TryParse(builder.Configuration[HmacKeyIdSetting], out var id) ? id : 1;

        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(DataTaxonomy.PersonalData));
            if (string.IsNullOrWhiteSpace(hmacKey))
            {
                redaction.SetRedactor<ErasingRedactor>(new DataClassificationSet(DataTaxonomy.Identifier));
            }
            else
            {
#pragma warning disable EXTEXP0002 // The HMAC redactor is marked experimental; its output format is all we rely on.
                redaction.SetHmacRedactor(options =>
                {
                    options.Key = hmacKey;
                    options.KeyId = keyId;
                }, new DataClassificationSet(DataTaxonomy.Identifier));
#pragma warning restore EXTEXP0002
            }

            // Anything classified some other way (a library's own taxonomy) is erased rather than passed through.
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });
        return builder;
    }

    private static bool IsUsableKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
