using System.Globalization;
using System.Text;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Core.Features.Handoff;

/// <summary>What the handoff says to users and agents, and the buttons it shows. Callback data stays under 64 bytes.</summary>
public static class HandoffTexts
{
    public const string CallbackPrefix = "handoff";
    public const int TranscriptLength = 10;
    private const int TopicNameLimit = 128;
    private const int TranscriptLineLimit = 300;

    public static string ClaimData(long conversationId) => $"{CallbackPrefix}:claim:{conversationId}";

    public static string ReleaseData(long conversationId) => $"{CallbackPrefix}:release:{conversationId}";

    public static string CloseData(long conversationId) => $"{CallbackPrefix}:close:{conversationId}";

    public static string CsatData(long conversationId, int rating) => $"{CallbackPrefix}:csat:{conversationId}:{rating}";

    public static string RequestData(string reason) => $"{CallbackPrefix}:request:{reason}";

    /// <summary>The tag every group message about a conversation carries, so a reply to any of them finds it (plain groups).</summary>
    public static string Tag(long conversationId) => $"#c{conversationId}";

    public static IReadOnlyList<IReadOnlyList<OutboundButton>> CardButtons(long conversationId) =>
    [
        [
            OutboundButton.Callback("✋ Claim", ClaimData(conversationId)),
            OutboundButton.Callback("↩️ Release", ReleaseData(conversationId)),
            OutboundButton.Callback("✅ Close", CloseData(conversationId)),
        ],
    ];

    public static IReadOnlyList<IReadOnlyList<OutboundButton>> CsatButtons(long conversationId) =>
    [
        Enumerable.Range(1, 5).Select(r => OutboundButton.Callback(new string('⭐', 1) + r.ToString(CultureInfo.InvariantCulture), CsatData(conversationId, r))).ToList(),
    ];

    public static string ReasonText(string reason) => reason switch
    {
        EscalationReasons.UserRequest => "the customer asked for a person",
        EscalationReasons.LlmCannotHelp => "the AI assistant could not help",
        EscalationReasons.FaqDeclined => "an FAQ answer did not help and the customer picked a person",
        EscalationReasons.RepeatedFallback => "the bot did not understand two messages in a row",
        EscalationReasons.HotLead => "hot lead from the project intake",
        EscalationReasons.LlmUnavailable => "the AI assistant is unavailable and the customer wants a person",
        _ => reason,
    };

    public static string CustomerName(TelegramUser? user) =>
        user is null ? "Customer" : user.DisplayName.Trim() is { Length: > 0 } name ? name : user.Username ?? $"User {user.Id}";

    public static string TopicName(TopicStatus status, TelegramUser? user, string? agentName = null)
    {
        var prefix = status switch
        {
            TopicStatus.New => "🆕 New",
            TopicStatus.Claimed => $"🟢 {agentName ?? "Claimed"}",
            TopicStatus.BackToBot => "🤖 Back to bot",
            _ => "✅ Closed",
        };
        var customer = CustomerName(user) + (user?.Username is { Length: > 0 } username ? $" @{username}" : "");
        var name = $"{prefix} · {customer}";
        return name.Length <= TopicNameLimit ? name : name[..TopicNameLimit];
    }

    /// <summary>The escalation card: who, why, the lead if any, the last messages.</summary>
    public static string Card(Conversation conversation, TelegramUser? user, string reason, Lead? lead,
        IReadOnlyList<ConversationMessage> lastMessages, string? awayNote)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"🙋 <b>Handoff</b> {Tag(conversation.Id)}\n");
        text.Append(CultureInfo.InvariantCulture, $"<b>Customer:</b> {Html.Escape(CustomerName(user))}");
        if (user?.Username is { Length: > 0 } username)
        {
            text.Append(CultureInfo.InvariantCulture, $" (@{Html.Escape(username)})");
        }

        if (user?.LanguageCode is { Length: > 0 } language)
        {
            text.Append(CultureInfo.InvariantCulture, $" · language {Html.Escape(language)}");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n<b>Reason:</b> {Html.Escape(ReasonText(reason))}\n");
        if (lead is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"<b>Lead #{lead.Id}:</b> {LeadSummary(lead)}\n");
        }

        if (awayNote is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"<i>{Html.Escape(awayNote)}</i>\n");
        }

        if (lastMessages.Count > 0)
        {
            text.Append("\n<b>Last messages:</b>\n");
            foreach (var message in lastMessages)
            {
                var who = message.SenderType switch
                {
                    SenderType.User => "👤",
                    SenderType.Agent => "🧑‍💼",
                    SenderType.Llm => "✨",
                    _ => "🤖",
                };
                var line = HtmlToPlain(message.Text).ReplaceLineEndings(" ");
                if (line.Length > TranscriptLineLimit)
                {
                    line = line[..TranscriptLineLimit] + "…";
                }

                text.Append(CultureInfo.InvariantCulture, $"{who} {Html.Escape(line)}\n");
            }
        }

        text.Append("\nClaim to answer: your messages here then reach the customer. /note text for internal notes.");
        return text.ToString();
    }

    /// <summary>Category, band, score, budget and timeline of a lead, one line.</summary>
    public static string LeadSummary(Lead lead)
    {
        var parts = new List<string> { $"{Html.Escape(lead.Category)}, {lead.ScoreBand.ToString().ToLowerInvariant()} ({lead.Score}/100)" };
        try
        {
            var answers = IntakeJson.DeserializeAnswers(lead.AnswersJson);
            if (answers.Budget is { } budget)
            {
                parts.Add($"budget {budget}");
            }

            if (answers.Timeline is { } timeline)
            {
                parts.Add($"timeline {timeline}");
            }

            if (answers.Company is { Length: > 0 } company)
            {
                parts.Add(Html.Escape(company));
            }

            if (answers.Description is { Length: > 0 } description)
            {
                parts.Add("“" + Html.Escape(description.Length > 200 ? description[..200] + "…" : description) + "”");
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // The summary is a courtesy: a lead with unreadable answers still gets its score line.
        }

        return string.Join(", ", parts);
    }

    /// <summary>Transcript lines of the bot's own messages carry HTML tags; the card shows them as plain text.</summary>
    private static string HtmlToPlain(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")
            .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    public static string Connecting(int usualWaitMinutes) =>
        $"I'm connecting you with a person from our team. The usual wait is about {usualWaitMinutes} minutes; " +
        "just keep writing here, and they'll see everything. Send /bot to go back to the assistant.";

    public static string Away(string hours, string? nextOpening) =>
        $"I've passed your request to our team. We're offline right now (our hours: {hours}), so a person will answer " +
        (nextOpening is null ? "as soon as we're back. " : $"from {nextOpening}. ") +
        "Just keep writing here, and they'll see everything. Send /bot to go back to the assistant.";

    public const string AlreadyWaiting = "You're already in the queue for a person from our team; they'll answer here. Send /bot to go back to the assistant.";

    public const string AlreadyWithAgent = "A person from our team is already looking after this chat; just write here.";

    public const string NotForgotten = "We haven't forgotten you! Everyone on the team is busy right now; a person will answer here as soon as they can.";
}

public enum TopicStatus
{
    New,
    Claimed,
    Closed,
    BackToBot,
}
