using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class AgentConfiguration : IEntityTypeConfiguration<Agent>
{
    public void Configure(EntityTypeBuilder<Agent> builder)
    {
        builder.Property(a => a.DisplayName).HasMaxLength(128);
        builder.Property(a => a.TelegramUsername).HasMaxLength(64);
        builder.HasIndex(a => a.TelegramUserId).IsUnique().HasFilter("telegram_user_id IS NOT NULL");
        builder.HasIndex(a => a.TelegramUsername);
        builder.HasOne(a => a.DashboardUser).WithMany().HasForeignKey(a => a.DashboardUserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(a => a.DashboardUserId).IsUnique().HasFilter("dashboard_user_id IS NOT NULL");
    }
}
