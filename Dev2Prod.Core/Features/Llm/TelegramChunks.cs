using System.Net;
using Dev2Prod.Core.Telegram;

namespace Dev2Prod.Core.Features.Llm;

/// <summary>
/// Makes model output safe for Telegram's HTML parse mode: everything is escaped (model text is never trusted
/// as markup, so Telegram never rejects it for a stray &lt;), then split into messages under Telegram's 4096
/// character limit at paragraph, line, sentence or word boundaries, never inside an entity.
/// </summary>
public static class TelegramChunks
{
    public const int TelegramLimit = 4096;

    public static IReadOnlyList<string> EscapeAndSplit(string text, int limit = TelegramLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 16);
        var escaped = Html.Escape(text.Trim());
        var chunks = new List<string>();
        var rest = escaped.AsSpan();
        while (rest.Length > limit)
        {
            var cut = BestCut(rest[..limit]);
            chunks.Add(rest[..cut].TrimEnd().ToString());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0 || chunks.Count == 0)
        {
            chunks.Add(rest.ToString());
        }

        return chunks;
    }

    private static int BestCut(ReadOnlySpan<char> window)
    {
        // Prefer the latest natural boundary in the second half of the window, so no chunk ends up tiny.
        var floor = window.Length / 2;
        foreach (var boundary in (ReadOnlySpan<string>)["\n\n", "\n", ". ", " "])
        {
            var at = window.LastIndexOf(boundary.AsSpan());
            if (at >= floor)
            {
                return at + boundary.Length;
            }
        }

        // No boundary: cut hard, but never inside an escaped entity such as &amp;.
        var amp = window.LastIndexOf('&');
        return amp >= 0 && amp > window.Length - 8 && window[amp..].IndexOf(';') < 0 ? amp : window.Length;
    }

    /// <summary>Plain text of an HTML chunk (tests and logs).</summary>
    public static string Unescape(string html) => WebUtility.HtmlDecode(html);
}
