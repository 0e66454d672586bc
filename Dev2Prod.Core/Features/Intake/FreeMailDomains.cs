namespace Dev2Prod.Core.Features.Intake;

/// <summary>
/// Free and consumer mail providers: an address there says little about a company. Extend it with
/// <c>Intake:Scoring:EmailDomain:AdditionalFreeMailDomains</c>.
/// </summary>
public static class FreeMailDomains
{
    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com", "aol.com",
        "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me", "tutanota.com", "tuta.io",
        "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru", "ya.ru",
        "mail.ru", "inbox.ru", "bk.ru", "list.ru", "rambler.ru", "qq.com", "163.com", "126.com", "naver.com",
        "hey.com", "fastmail.com", "hushmail.com", "t-online.de", "freenet.de", "orange.fr", "free.fr",
        "laposte.net", "libero.it", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "ukr.net", "rediffmail.com",
    };

    public static bool IsFreeMail(string domain, IEnumerable<string>? additional = null) =>
        BuiltIn.Contains(domain) || (additional?.Any(d => string.Equals(d.Trim(), domain, StringComparison.OrdinalIgnoreCase)) ?? false);
}
