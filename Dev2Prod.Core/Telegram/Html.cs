using System.Net;

namespace Dev2Prod.Core.Telegram;

/// <summary>Telegram's HTML parse mode: only &lt;, &gt; and &amp; need escaping in text, and quotes in attributes.</summary>
public static class Html
{
    public static string Escape(string? text) => string.IsNullOrEmpty(text)
        ? ""
        : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Bold(string? text) => $"<b>{Escape(text)}</b>";

    public static string Link(string text, string url) => $"<a href=\"{WebUtility.HtmlEncode(url)}\">{Escape(text)}</a>";
}
