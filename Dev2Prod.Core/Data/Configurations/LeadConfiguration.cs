using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.Property(l => l.Category).HasMaxLength(32);
        builder.Property(l => l.AnswersJson).HasColumnType("jsonb");
        builder.Property(l => l.ScoreBreakdownJson).HasColumnType("jsonb");
        builder.HasOne(l => l.Conversation).WithMany().HasForeignKey(l => l.ConversationId);

        // One lead per conversation's intake: a double-tapped Confirm cannot create two.
        builder.HasIndex(l => l.ConversationId).IsUnique();
        builder.HasIndex(l => new { l.Status, l.CreatedAt });
        builder.HasIndex(l => new { l.Category, l.CreatedAt });
        builder.HasIndex(l => l.CreatedAt);
    }
}
