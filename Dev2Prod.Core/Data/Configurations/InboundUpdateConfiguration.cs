using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class InboundUpdateConfiguration : IEntityTypeConfiguration<InboundUpdate>
{
    public void Configure(EntityTypeBuilder<InboundUpdate> builder)
    {
        builder.HasKey(u => u.UpdateId);
        builder.Property(u => u.UpdateId).ValueGeneratedNever();
        builder.Property(u => u.Kind).HasMaxLength(48);
        builder.Property(u => u.PayloadJson).HasColumnType("jsonb");
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(u => u.LastError).HasMaxLength(256);
        builder.Property(u => u.TraceParent).HasMaxLength(128);

        // The processors' claim query: open work in update order, and "is an earlier update of this chat open?".
        builder.HasIndex(u => new { u.Status, u.UpdateId }).HasFilter("status IN ('Pending', 'Processing')").HasDatabaseName("ix_inbound_updates_open");
        builder.HasIndex(u => new { u.ChatId, u.UpdateId });
        builder.HasIndex(u => u.ReceivedAt);
    }
}
