using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dev2Prod.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Observability : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "outbound_messages",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trace_parent",
                table: "inbound_updates",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "outbound_messages");

            migrationBuilder.DropColumn(
                name: "trace_parent",
                table: "inbound_updates");
        }
    }
}
