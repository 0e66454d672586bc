using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class LlmUsageConfiguration : IEntityTypeConfiguration<LlmUsage>
{
    public void Configure(EntityTypeBuilder<LlmUsage> builder)
    {
        builder.Property(u => u.Model).HasMaxLength(128);
        builder.Property(u => u.Outcome).HasMaxLength(32);
        builder.Property(u => u.CostUsd).HasPrecision(12, 6);
        builder.HasIndex(u => u.CreatedAt);
        builder.HasIndex(u => new { u.TelegramUserId, u.CreatedAt });
        builder.HasIndex(u => u.ConversationId);
    }
}
