using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;

namespace Dev2Prod.Core.Data;

/// <summary>The one database of the product. Table and column names are snake_case (see DataExtensions).</summary>
public sealed class BotDbContext(DbContextOptions<BotDbContext> options) : DbContext(options)
{
    public DbSet<TelegramUser> TelegramUsers => Set<TelegramUser>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationMessage> Messages => Set<ConversationMessage>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<FaqEntry> FaqEntries => Set<FaqEntry>();
    public DbSet<Agent> Agents => Set<Agent>();
    public DbSet<DashboardUser> DashboardUsers => Set<DashboardUser>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<LlmUsage> LlmUsages => Set<LlmUsage>();
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();
    public DbSet<InboundUpdate> InboundUpdates => Set<InboundUpdate>();
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BotDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in psql and in backups, and safe to reorder in code.
        configurationBuilder.Properties<ConversationStatus>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<MessageDirection>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SenderType>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LeadScore>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<LeadStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Security.Role>().HaveConversion<string>().HaveMaxLength(16);
    }
}
