using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class FaqEntryConfiguration : IEntityTypeConfiguration<FaqEntry>
{
    public void Configure(EntityTypeBuilder<FaqEntry> builder)
    {
        builder.Property(f => f.Id).HasMaxLength(64).ValueGeneratedNever();
        builder.Property(f => f.Category).HasMaxLength(64);
        builder.Property(f => f.Title).HasMaxLength(128);
        builder.Property(f => f.Answer).HasMaxLength(4096);
        builder.Property(f => f.ButtonsJson).HasColumnType("jsonb");
        builder.Property(f => f.UpdatedBy).HasMaxLength(128);

        // Optimistic concurrency on Postgres's xmin: two supervisors editing the same entry cannot silently overwrite each other.
        builder.Property<uint>("Version").IsRowVersion();
        builder.HasIndex(f => new { f.Category, f.SortOrder });
    }
}
