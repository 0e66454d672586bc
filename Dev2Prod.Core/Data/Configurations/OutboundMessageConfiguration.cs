using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class OutboundMessageConfiguration : IEntityTypeConfiguration<OutboundMessage>
{
    public void Configure(EntityTypeBuilder<OutboundMessage> builder)
    {
        builder.Property(m => m.Method).HasMaxLength(48);
        builder.Property(m => m.PayloadJson).HasColumnType("jsonb");
        builder.Property(m => m.DeduplicationKey).HasMaxLength(200);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.LastError).HasMaxLength(256);
        builder.Property(m => m.TraceParent).HasMaxLength(128);

        builder.HasOne(m => m.Conversation).WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(m => m.Message).WithMany().HasForeignKey(m => m.MessageId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => m.DeduplicationKey).IsUnique().HasFilter("deduplication_key IS NOT NULL");

        // The sender's claim query, and per-chat ordering.
        builder.HasIndex(m => new { m.Status, m.Id }).HasFilter("status IN ('Pending', 'Sending')").HasDatabaseName("ix_outbound_messages_open");
        builder.HasIndex(m => new { m.ChatId, m.Id });
    }
}
