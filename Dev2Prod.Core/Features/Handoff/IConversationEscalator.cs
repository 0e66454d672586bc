namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// Hands a private-chat conversation to the agents' group. Every trigger (a command, an intent, the FAQ's
/// "no", the language model, a hot lead) goes through this one entry point, so escalation behaves the same
/// wherever it starts: in the Api within the update's transaction (the scoped <c>BotDbContext</c>) or in the
/// Worker after a model call.
/// </summary>
public interface IConversationEscalator
{
    /// <summary>
    /// Marks the conversation waiting for an agent with <paramref name="reason"/> (one of
    /// <see cref="EscalationReasons"/>), tells the user what happens next and posts the card to the agents'
    /// group. Idempotent: a conversation already waiting or claimed is not escalated again.
    /// </summary>
    Task<EscalationResult> EscalateAsync(long conversationId, string reason, CancellationToken cancellationToken);
}

/// <summary>The outcome of an escalation request.</summary>
public enum EscalationResult
{
    Escalated,
    AlreadyWithAgent,
    ConversationNotFound,
}
