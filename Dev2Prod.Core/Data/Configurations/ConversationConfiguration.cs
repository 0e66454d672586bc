using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.Property(c => c.EscalationReason).HasMaxLength(64);
        builder.Ignore(c => c.IsOpen);
        builder.Property(c => c.SessionJson).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.HasOne(c => c.TelegramUser).WithMany(u => u.Conversations).HasForeignKey(c => c.TelegramUserId);
        builder.HasOne(c => c.AssignedAgent).WithMany().HasForeignKey(c => c.AssignedAgentId).OnDelete(DeleteBehavior.SetNull);

        // A private chat has at most one open conversation; the database enforces it so two replicas
        // handling two updates of the same chat at once cannot open two.
        builder.HasIndex(c => c.ChatId).IsUnique().HasFilter("status <> 'Closed'").HasDatabaseName("ux_conversations_open_per_chat");

        // Dashboard grid: newest first, filtered by status / agent.
        builder.HasIndex(c => c.LastMessageAt);
        builder.HasIndex(c => new { c.Status, c.LastMessageAt });
        builder.HasIndex(c => c.StartedAt);
        builder.HasIndex(c => c.AssignedAgentId);
        builder.HasIndex(c => c.TelegramUserId);
        builder.HasIndex(c => c.AgentTopicId);

        // The claim reminder job looks for waiting conversations whose reminder is due.
        builder.HasIndex(c => c.ClaimReminderDueAt).HasFilter("claim_reminder_due_at IS NOT NULL");
    }
}
