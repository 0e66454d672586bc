using System.Net;
using System.Text.RegularExpressions;
using Dev2Prod.Core.Domain;

namespace Dev2Prod.Admin.Features.Conversations;

/// <summary>
/// What the transcript shows for a stored message. Messages sent to the customer (bot, LLM, and agent replies,
/// which are escaped and signed before sending) are stored as the Telegram HTML that went out (&lt;b&gt;, entities);
/// they are shown as the plain text the customer read. What customers wrote and internal notes are shown exactly
/// as written. Either way the result is rendered as text, never as markup.
/// </summary>
public static partial class TranscriptText
{
    public static string For(MessageDirection direction, bool isInternalNote, string text) =>
        direction == MessageDirection.Outbound && !isInternalNote ? WebUtility.HtmlDecode(Tag().Replace(text, "")) : text;

    [GeneratedRegex("<[^<>]+>")]
    private static partial Regex Tag();
}
