using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dev2Prod.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Handoff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "claim_reminder_due_at",
                table: "conversations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "claim_reminders_sent",
                table: "conversations",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_conversations_claim_reminder_due_at",
                table: "conversations",
                column: "claim_reminder_due_at",
                filter: "claim_reminder_due_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_conversations_claim_reminder_due_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "claim_reminder_due_at",
                table: "conversations");

            migrationBuilder.DropColumn(
                name: "claim_reminders_sent",
                table: "conversations");
        }
    }
}
