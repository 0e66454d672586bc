using Dev2Prod.Core.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Dev2Prod.Core.Data.Configurations;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(128);
        builder.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.StorageKey).HasMaxLength(512);
        builder.Property(a => a.TelegramFileId).HasMaxLength(256);
        builder.Property(a => a.TelegramFileUniqueId).HasMaxLength(128);
        builder.HasOne(a => a.Conversation).WithMany().HasForeignKey(a => a.ConversationId);

        // The same file sent twice in a conversation is stored once.
        builder.HasIndex(a => new { a.ConversationId, a.Sha256 }).IsUnique();
        builder.HasIndex(a => a.MessageId);
    }
}
