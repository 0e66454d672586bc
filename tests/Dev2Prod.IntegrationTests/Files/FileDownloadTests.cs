using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;
using Dev2Prod.IntegrationTests.Gateway;
using Dev2Prod.Testing;
using Dev2Prod.Testing.Files;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Role = Dev2Prod.Core.Security.Role;

namespace Dev2Prod.IntegrationTests.Files;

/// <summary>
/// Downloads from the Api with the dashboard's sign-in cookie. The cookie is issued the way the dashboard issues
/// it: a separate service container with the shared data-protection setup (key ring in the same Redis) protects the
/// ticket, and the Api must read it through its own key ring copy, validate the user against the database and apply
/// the role rules.
/// </summary>
public sealed class FileDownloadTests(StackFixture stack) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dev2prod-downloads-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task DownloadsFollowTheRolesAndAreServedAsSafeAttachments()
    {
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?> { ["Files:Root"] = _root });
        var chat = new FileChat(host, 830_001);
        var pdf = TestFiles.Pdf("download me");
        await chat.SendDocumentAsync(pdf, "Бриф проекта.pdf");
        var attachment = Assert.Single(await chat.AttachmentsAsync());

        var supervisor = await AddDashboardUserAsync(host, "sue", Role.Supervisor);
        var admin = await AddDashboardUserAsync(host, "ada", Role.Admin);
        var assignedAgent = await AddDashboardUserAsync(host, "andy", Role.Agent);
        var otherAgent = await AddDashboardUserAsync(host, "olga", Role.Agent);
        var viewer = await AddDashboardUserAsync(host, "vic", Role.Viewer);
        await AssignConversationAsync(host, await chat.ConversationIdAsync(), assignedAgent);
        await AddAgentAsync(host, otherAgent);
        using var cookies = await CookieIssuer.CreateAsync(host.RedisConnectionString);
        var url = $"/api/files/{attachment.Id}";

        using (var anonymous = await GetAsync(host, url, cookie: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        foreach (var refused in new[] { viewer, otherAgent })
        {
            using var response = await GetAsync(host, url, cookies.Issue(refused));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        foreach (var allowed in new[] { assignedAgent, supervisor, admin })
        {
            using var response = await GetAsync(host, url, cookies.Issue(allowed));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(pdf, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            var disposition = response.Content.Headers.ContentDisposition!;
            Assert.Equal("attachment", disposition.DispositionType);
            Assert.Equal("Бриф проекта.pdf", disposition.FileNameStar);
            Assert.Contains("filename*=UTF-8''", response.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        }

        using (var unknown = await GetAsync(host, $"/api/files/{Guid.NewGuid()}", cookies.Issue(supervisor)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Every successful download is audited under the dashboard user's name.
        var audited = await host.QueryAsync(db => db.AuditLog.Where(e => e.Action == "file.download").Select(e => e.Actor).ToListAsync());
        Assert.Equal(["andy", "sue", "ada"], audited);
    }

    [Fact]
    public async Task CookiesOfDisabledUsersForgedOrFromAnotherKeyRingAreNotAccepted()
    {
        await using var host = await GatewayHost.StartAsync(stack, new Dictionary<string, string?> { ["Files:Root"] = _root });
        var chat = new FileChat(host, 830_002);
        await chat.SendDocumentAsync(TestFiles.Pdf(), "brief.pdf");
        var url = $"/api/files/{Assert.Single(await chat.AttachmentsAsync()).Id}";
        var supervisor = await AddDashboardUserAsync(host, "sue", Role.Supervisor);
        using var cookies = await CookieIssuer.CreateAsync(host.RedisConnectionString);
        var valid = cookies.Issue(supervisor);

        // A cookie with the right shape and claims, signed with a key ring the Api does not share.
        using var strangers = await CookieIssuer.CreateAsync(redisConnectionString: null);
        using (var foreign = await GetAsync(host, url, strangers.Issue(supervisor)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        }

        using (var tampered = await GetAsync(host, url, valid[..^4] + "AAAA"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        }

        using (var accepted = await GetAsync(host, url, valid))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await host.QueryAsync(db => db.DashboardUsers.Where(u => u.Id == supervisor.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));
        using (var disabled = await GetAsync(host, url, valid))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> GetAsync(GatewayHost host, string url, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{DashboardCookie.CookieName}={cookie}");
        }

        using var client = host.Api;
        return await client.SendAsync(request, TestContext.Current.CancellationToken).WaitAsync(GatewayHost.Timeout, TestContext.Current.CancellationToken);
    }

    private static Task<DashboardUser> AddDashboardUserAsync(GatewayHost host, string userName, Role role) => host.QueryAsync(async db =>
    {
        var user = new DashboardUser { UserName = userName, PasswordHash = "unused", Role = role, CreatedAt = DateTimeOffset.UtcNow };
        db.DashboardUsers.Add(user);
        await db.SaveChangesAsync();
        return user;
    });

    private static Task<Agent> AddAgentAsync(GatewayHost host, DashboardUser user) => host.QueryAsync(async db =>
    {
        var agent = new Agent { DisplayName = user.UserName, Role = user.Role, DashboardUserId = user.Id, CreatedAt = DateTimeOffset.UtcNow };
        db.Agents.Add(agent);
        await db.SaveChangesAsync();
        return agent;
    });

    private static async Task AssignConversationAsync(GatewayHost host, long conversationId, DashboardUser agentUser)
    {
        var agent = await AddAgentAsync(host, agentUser);
        await host.QueryAsync(db => db.Conversations.Where(c => c.Id == conversationId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, ConversationStatus.Claimed)
            .SetProperty(c => c.AssignedAgentId, agent.Id)));
    }

    /// <summary>Issues dashboard cookies with the shared data-protection setup, as the dashboard's sign-in does.</summary>
    private sealed class CookieIssuer(ServiceProvider services, ConnectionMultiplexer? redis) : IDisposable
    {
        /// <param name="redisConnectionString">The key ring's Redis, or null for a throw-away key ring of its own.</param>
        public static async Task<CookieIssuer> CreateAsync(string? redisConnectionString)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            ConnectionMultiplexer? redis = null;
            if (redisConnectionString is null)
            {
                services.AddDataProtection().SetApplicationName(DashboardCookie.ApplicationName).UseEphemeralDataProtectionProvider();
            }
            else
            {
                redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
                services.AddSingleton<IConnectionMultiplexer>(redis);
                services.AddDashboardDataProtection();
            }

            services.AddAuthentication(DashboardCookie.Scheme)
                .AddCookie(DashboardCookie.Scheme, o => DashboardCookie.Configure(o, isDevelopment: true, TimeSpan.FromHours(1)));
            return new CookieIssuer(services.BuildServiceProvider(), redis);
        }

        public string Issue(DashboardUser user)
        {
            var identity = new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.Name, user.UserName),
                    new Claim(DashboardCookie.UserIdClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Claim(DashboardCookie.RoleClaim, user.Role.ToString()),
                    new Claim(DashboardCookie.SecurityStampClaim, user.SecurityStamp),
                ],
                DashboardCookie.Scheme, ClaimTypes.Name, DashboardCookie.RoleClaim);
            var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(DashboardCookie.Scheme);
            var now = DateTimeOffset.UtcNow;
            var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) };
            return options.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, DashboardCookie.Scheme));
        }

        public void Dispose()
        {
            services.Dispose();
            redis?.Dispose();
        }
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
