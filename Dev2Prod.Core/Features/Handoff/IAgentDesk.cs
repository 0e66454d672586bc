namespace Dev2Prod.Core.Features.Handoff;

/// <summary>
/// What an agent does with an escalated conversation, whether from the Telegram agents' group or the
/// dashboard: both call this, so permissions (one role policy), the conversation state, the relay to the user
/// and the group topic behave the same from either place.
/// </summary>
public interface IAgentDesk
{
    Task<AgentActionResult> ClaimAsync(long conversationId, int agentId, CancellationToken cancellationToken);

    Task<AgentActionResult> ReleaseAsync(long conversationId, int agentId, CancellationToken cancellationToken);

    /// <summary>Closes the conversation and asks the user for a 1-5 satisfaction rating.</summary>
    Task<AgentActionResult> CloseAsync(long conversationId, int agentId, CancellationToken cancellationToken);

    /// <summary>Sends <paramref name="text"/> to the user, signed with the agent's name; only the claiming agent.</summary>
    Task<AgentActionResult> ReplyAsync(long conversationId, int agentId, string text, CancellationToken cancellationToken);

    /// <summary>Stores an internal note, never sent to the user.</summary>
    Task<AgentActionResult> AddNoteAsync(long conversationId, int agentId, string text, CancellationToken cancellationToken);

    /// <summary>Hands a claimed conversation to another agent (Supervisor or above).</summary>
    Task<AgentActionResult> TransferAsync(long conversationId, int actingAgentId, int toAgentId, CancellationToken cancellationToken);
}

/// <summary>Whether an agent action happened, and a message fit to show the agent (an alert or a snackbar).</summary>
public sealed record AgentActionResult(bool Succeeded, string Message)
{
    public static AgentActionResult Done(string message) => new(true, message);

    public static AgentActionResult Refused(string message) => new(false, message);
}
