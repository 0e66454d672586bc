using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NpgsqlTypes;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class ConversationMessageConfiguration : IEntityTypeConfiguration<ConversationMessage>
{
    /// <summary>Shadow property (column <c>search_vector</c>) queried with <c>EF.Property</c>.</summary>
    public const string SearchVectorProperty = "SearchVector";

    public void Configure(EntityTypeBuilder<ConversationMessage> builder)
    {
        builder.Property(m => m.Text).HasMaxLength(8192);
        builder.HasOne(m => m.Conversation).WithMany(c => c.Messages).HasForeignKey(m => m.ConversationId);

        // Transcript in order.
        builder.HasIndex(m => new { m.ConversationId, m.CreatedAt });

        // An inbound message is recorded once per update, whatever the redeliveries.
        builder.HasIndex(m => m.TelegramUpdateId).IsUnique().HasFilter("telegram_update_id IS NOT NULL");

        // Relay lookups: which stored message does a Telegram reply point at.
        builder.HasIndex(m => new { m.TelegramChatId, m.TelegramMessageId });

        // Full-text search over messages for the dashboard ('simple' config: the bot speaks many languages).
        builder.Property<NpgsqlTsVector>(SearchVectorProperty)
            .HasComputedColumnSql("to_tsvector('simple', coalesce(text, ''))", stored: true);
        builder.HasIndex(SearchVectorProperty).HasMethod("GIN");
    }
}
