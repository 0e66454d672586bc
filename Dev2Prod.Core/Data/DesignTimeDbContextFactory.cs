using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dev2Prod.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running service or database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BotDbContext>
{
    public BotDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<BotDbContext>()
        .UseNpgsql("Host=localhost;Database=botdb")
        .UseSnakeCaseNamingConvention()
        .Options);
}
