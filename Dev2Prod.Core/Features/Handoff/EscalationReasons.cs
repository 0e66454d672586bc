namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Why a conversation was handed to a person. Stored in <c>conversations.escalation_reason</c> and used as the
/// <c>reason</c> label of <c>conversations_escalated_total</c>, so the set is small and fixed.
/// </summary>
public static class EscalationReasons
{
    /// <summary>The user asked: <c>/human</c>, the handoff.request intent or the "Talk to a human" button.</summary>
    public const string UserRequest = "user_request";

    /// <summary>The language model signalled that it cannot help.</summary>
    public const string LlmCannotHelp = "llm_cannot_help";

    /// <summary>The user declined an FAQ answer and picked a human.</summary>
    public const string FaqDeclined = "faq_declined";

    /// <summary>The bot did not understand two messages in a row.</summary>
    public const string RepeatedFallback = "repeated_fallback";

    /// <summary>The intake scored the lead hot.</summary>
    public const string HotLead = "hot_lead";

    /// <summary>The assistant was out of quota or budget (or down) and the user wanted a person.</summary>
    public const string LlmUnavailable = "llm_unavailable";

    public static IReadOnlyList<string> All { get; } =
        [UserRequest, LlmCannotHelp, FaqDeclined, RepeatedFallback, HotLead, LlmUnavailable];
}
