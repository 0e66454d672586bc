using System.Globalization;
using System.Text;

namespace Dev2Prod.Core.Features.Files;

/// <summary>
/// Turns the name a sender gave a file into one that is safe to show and to put in a download header: the last
/// path segment only, no control or bidirectional-override characters (which disguise "exe" as "pdf"), no
/// characters that are invalid in file names on common systems, no Windows reserved device names, at most
/// <see cref="MaxLength"/> characters with the extension kept. Letters of every script stay: a brief called
/// "Бриф проекта.pdf" keeps its name. The result is metadata only; it never becomes a path.
/// </summary>
public static class FileNameSanitizer
{
    public const int MaxLength = 120;

    private const string Fallback = "file";

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <param name="name">The declared name (may be null, a path, or hostile).</param>
    /// <param name="extensionForMissingName">Used to build a name when none is left, e.g. ".jpg" for photos.</param>
    public static string Sanitize(string? name, string extensionForMissingName = "")
    {
        var normalized = (name ?? "").Normalize(NormalizationForm.FormC);

        // Only the last segment: "../../etc/passwd" and "C:\\Users\\x\\brief.pdf" become "passwd" and "brief.pdf".
        var lastSeparator = normalized.LastIndexOfAny(['/', '\\']);
        var leaf = lastSeparator < 0 ? normalized : normalized[(lastSeparator + 1)..];

        var builder = new StringBuilder(leaf.Length);
        foreach (var rune in leaf.EnumerateRunes())
        {
            if (IsAllowed(rune))
            {
                builder.Append(rune.ToString());
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
        }

        var cleaned = CollapseSpaces(builder.ToString()).Trim(' ', '.');
        if (cleaned.Length == 0)
        {
            return Fallback + extensionForMissingName;
        }

        var extension = Path.GetExtension(cleaned);
        var stem = cleaned[..^extension.Length].TrimEnd(' ', '.');
        if (extension.Length > 16)
        {
            stem = cleaned;
            extension = "";
        }

        // "con.txt" is as reserved as "con" on Windows; "COM1.tar.gz" too.
        var firstPart = stem.Split('.')[0].TrimEnd();
        if (ReservedNames.Contains(firstPart))
        {
            stem = "_" + stem;
        }

        if (stem.Length == 0)
        {
            stem = Fallback;
        }

        var room = MaxLength - extension.Length;
        if (stem.Length > room)
        {
            stem = TruncateByTextElements(stem, room).TrimEnd(' ', '.');
        }

        return stem + extension;
    }

    private static bool IsAllowed(Rune rune)
    {
        if (Rune.IsControl(rune) || Rune.IsWhiteSpace(rune))
        {
            return false;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.Format: // bidi overrides (U+202E), zero-width characters
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
                return false;
        }

        return rune.Value switch
        {
            '<' or '>' or ':' or '"' or '|' or '?' or '*' or '/' or '\\' => false,
            _ => true,
        };
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == ' ' && builder.Length > 0 && builder[^1] == ' ')
            {
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Cuts at a whole character (never half an emoji or a letter with its accent).</summary>
    private static string TruncateByTextElements(string value, int maxChars)
    {
        var enumerator = StringInfo.GetTextElementEnumerator(value);
        var length = 0;
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            if (length + element.Length > maxChars)
            {
                break;
            }

            length += element.Length;
        }

        return value[..length];
    }
}
