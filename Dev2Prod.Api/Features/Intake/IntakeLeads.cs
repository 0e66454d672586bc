using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;
using Dev2Prod.Core.Observability;
using Dev2Prod.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dev2Prod.Api.Features.Intake;

public enum LeadWrite
{
    /// <summary>A new lead.</summary>
    Created,

    /// <summary>This conversation already had a lead; it now holds the new answers.</summary>
    Updated,

    /// <summary>This conversation already had a lead with exactly these answers: nothing changed.</summary>
    Unchanged,
}

public sealed record SavedLead(Lead Lead, LeadScoreResult Score, LeadWrite Write);

/// <summary>
/// Stores a confirmed intake as a lead (answers, score, breakdown, category, status new, linked to the
/// conversation), counts it, and posts hot and warm leads to the agents' group. Everything happens in the
/// update's transaction: the lead, the reply and the group card exist together or not at all.
/// </summary>
public sealed partial class IntakeLeads(
    LeadScorer scorer,
    BotMetrics metrics,
    IOptionsMonitor<TelegramOptions> telegram,
    IEnumerable<Core.Features.Handoff.IConversationEscalator> escalators,
    TimeProvider time,
    ILogger<IntakeLeads> logger)
{
    /// <summary>
    /// One lead per conversation (a unique index): a second confirmation in the same conversation updates that
    /// lead instead of failing, and identical answers change nothing. The chat's updates are handled one at a
    /// time (ADR 002), so the check below cannot race with another confirmation of the same conversation; if
    /// it ever did, the unique index fails the update and its retry takes the update path.
    /// </summary>
    public async Task<SavedLead> SaveAsync(TurnContext turn, IntakeAnswers answers)
    {
        var conversation = turn.RequireConversation();
        var db = turn.Db;
        var cancellationToken = turn.CancellationToken;
        var score = scorer.Score(answers);
        var answersJson = IntakeJson.SerializeAnswers(answers);
        var now = time.GetUtcNow();

        if (db.Entry(conversation).State == EntityState.Added)
        {
            await db.SaveChangesAsync(cancellationToken); // the lead refers to the conversation by id
        }

        var existing = await db.Leads.SingleOrDefaultAsync(l => l.ConversationId == conversation.Id, cancellationToken);
        if (existing is not null)
        {
            if (IntakeJson.SameAnswers(existing.AnswersJson, answersJson))
            {
                return new SavedLead(existing, score, LeadWrite.Unchanged);
            }

            Fill(existing, answers, answersJson, score);
            existing.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            LogLeadUpdated(logger, existing.Id, score.BandName, score.Score);
            return new SavedLead(existing, score, LeadWrite.Updated);
        }

        var lead = new Lead
        {
            ConversationId = conversation.Id,
            TelegramUserId = conversation.TelegramUserId,
            Status = LeadStatus.New,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Fill(lead, answers, answersJson, score);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(cancellationToken); // the id goes into the reply and the group card
        metrics.LeadCreated(score.BandName);
        LogLeadCreated(logger, lead.Id, score.BandName, score.Score);
        return new SavedLead(lead, score, LeadWrite.Created);
    }

    /// <summary>
    /// Hot and warm leads go to the agents' group as a card; without a group the lead is only logged (it is stored
    /// either way). With the handoff feature a hot lead is escalated instead (reason hot_lead): its escalation
    /// card carries the lead summary, so the group gets one card, with Claim, rather than two.
    /// </summary>
    public async Task PostToAgentsAsync(TurnContext turn, SavedLead saved, IntakeAnswers answers)
    {
        if (saved.Score.Band == LeadScore.Cold || saved.Write == LeadWrite.Unchanged)
        {
            return;
        }

        if (saved.Score.Band == LeadScore.Hot && escalators.FirstOrDefault() is { } escalator && turn.Conversation is { } conversation
            && await escalator.EscalateAsync(conversation.Id, Core.Features.Handoff.EscalationReasons.HotLead, turn.CancellationToken) == Core.Features.Handoff.EscalationResult.Escalated)
        {
            return;
        }

        if (telegram.CurrentValue.AgentGroupChatId is not { } groupId)
        {
            LogNoAgentGroup(logger, saved.Lead.Id, saved.Score.BandName);
            return;
        }

        var card = IntakeTexts.GroupCard(saved.Lead, answers, saved.Score, saved.Lead.TelegramUserId, saved.Write == LeadWrite.Updated);
        turn.Replies.ToChat(groupId, card);
    }

    private static void Fill(Lead lead, IntakeAnswers answers, string answersJson, LeadScoreResult score)
    {
        lead.Category = answers.ProjectType is { } type ? IntakeCatalog.CategoryOf(type) : "other";
        lead.AnswersJson = answersJson;
        lead.Score = score.Score;
        lead.ScoreBand = score.Band;
        lead.ScoreBreakdownJson = IntakeJson.SerializeBreakdown(score.Breakdown);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead {LeadId} created: {Band} ({Score}/100)")]
    private static partial void LogLeadCreated(ILogger logger, long leadId, string band, int score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead {LeadId} updated by a new intake in its conversation: {Band} ({Score}/100)")]
    private static partial void LogLeadUpdated(ILogger logger, long leadId, string band, int score);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lead {LeadId} is {Band} but no agents' group is configured (Telegram:AgentGroupChatId); it is stored, no card was posted")]
    private static partial void LogNoAgentGroup(ILogger logger, long leadId, string band);
}
