using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dev2Prod.Admin.Features.Conversations;
using Dev2Prod.Core.Data;
using Dev2Prod.Core.Domain;
using Dev2Prod.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Dev2Prod.Benchmarks.Dashboard;

/// <summary>
/// The conversations page at scale: starts the stack, seeds N conversations with M messages (Npgsql binary COPY),
/// then measures, p50/p95 over repeated runs, (1) the grid's first page exactly as the page queries it (count +
/// newest 25 with customer, agent and lead band), (2) the signed-in server render of /conversations over HTTP,
/// (3) that page's first render as a user sees it = (2) + (1), and (4) full-text searches over the messages.
/// Options: --conversations N (100000) --messages-per-conversation K (10) --runs R (50).
/// </summary>
internal sealed partial class DashboardBenchmark : IBenchmark
{
    private static readonly string[] Vocabulary = BuildVocabulary();

    public string Name => "dashboard";

    public string Description => "seed 100k conversations / 1M messages; conversations page first render and full-text search p50/p95";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var conversations = int.Parse(Measure.Option(args, "--conversations") ?? "100000", CultureInfo.InvariantCulture);
        var perConversation = int.Parse(Measure.Option(args, "--messages-per-conversation") ?? "10", CultureInfo.InvariantCulture);
        var runs = int.Parse(Measure.Option(args, "--runs") ?? "50", CultureInfo.InvariantCulture);

        var stack = new StackFixture();
        Console.WriteLine("Starting the stack (executables mode)...");
        await stack.InitializeAsync();
        try
        {
            var connectionString = await stack.ConnectionStringAsync(ResourceNames.Database);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(connectionString, conversations, perConversation, ct);
            Console.WriteLine($"seeded {conversations:N0} conversations, {conversations * (long)perConversation:N0} messages in {seeding.Elapsed.TotalSeconds:F0} s");

            var options = new DbContextOptionsBuilder<BotDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;

            async Task<List<double>> TimeAsync(Func<BotDbContext, Task> query)
            {
                var times = new List<double>();
                for (var i = 0; i < runs + 3; i++)
                {
                    await using var db = new BotDbContext(options);
                    var started = Stopwatch.GetTimestamp();
                    await query(db);
                    if (i >= 3)
                    {
                        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds); // the first 3 warm up
                    }
                }

                return times.Order().ToList();
            }

            var firstPage = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter(), ConversationSort.LastMessageAt, true, 0, 25, ct));
            var waiting = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter { Status = ConversationStatus.WaitingForAgent }, ConversationSort.LastMessageAt, true, 0, 25, ct));
            var deepPage = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter(), ConversationSort.StartedAt, false, 200, 25, ct));
            var rareWord = Vocabulary[^1];
            var commonWord = Vocabulary[0];
            var searchRare = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter { Search = rareWord }, ConversationSort.LastMessageAt, true, 0, 25, ct));
            var searchCommon = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter { Search = commonWord }, ConversationSort.LastMessageAt, true, 0, 25, ct));
            var searchTwo = await TimeAsync(db => ConversationQueries.PageAsync(db, new ConversationFilter { Search = $"{Vocabulary[40]} {Vocabulary[41]}" }, ConversationSort.LastMessageAt, true, 0, 25, ct));
            var render = await TimePageRenderAsync(stack, runs, ct);

            var firstRender = render.Zip(firstPage, (r, q) => r + q).Order().ToList();
            Console.WriteLine();
            Console.WriteLine($"dashboard: {conversations:N0} conversations, {conversations * (long)perConversation:N0} messages, {runs} runs each (ms, p50 / p95)");
            Print("grid first page (count + 25 newest)", firstPage);
            Print("grid, status = WaitingForAgent", waiting);
            Print("grid, page 200 by start time", deepPage);
            Print("GET /conversations (server render)", render);
            Print("first render = server render + first page", firstRender);
            Print($"full-text search, common word '{commonWord}'", searchCommon);
            Print($"full-text search, rare word '{rareWord}'", searchRare);
            Print("full-text search, two words", searchTwo);
            Console.WriteLine($"targets: first render p95 <= 300 ms, full-text search <= 200 ms");
            Console.WriteLine(Measure.Memory());
            return 0;
        }
        finally
        {
            await stack.DisposeAsync();
        }
    }

    private static void Print(string label, IReadOnlyList<double> sorted) =>
        Console.WriteLine($"  {label,-48} {Measure.Percentile(sorted, 50),7:F1} / {Measure.Percentile(sorted, 95),7:F1}");

    /// <summary>Signs in as the seeded admin (the real login form, antiforgery included) and times GET /conversations.</summary>
    private static async Task<List<double>> TimePageRenderAsync(StackFixture stack, int runs, CancellationToken ct)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = stack.EndpointOf(ResourceNames.Admin) };
        var form = await http.GetStringAsync(new Uri("/account/login", UriKind.Relative), ct);
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var login = await http.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.UserName"] = "admin",
            ["Input.Password"] = StackFixture.AdminPassword,
            ["_handler"] = "login",
        }), ct);
        var times = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri("/conversations", UriKind.Relative), ct);
            var html = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK || !html.Contains("conversations-grid", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GET /conversations answered {(int)response.StatusCode}; is the sign-in form still the same? (login answered {(int)login.StatusCode})");
            }

            if (i >= 3)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return times.Order().ToList();
    }

    /// <summary>
    /// Users, conversations (statuses and timestamps spread over 90 days), messages alternating user/bot with words
    /// drawn from a Zipf-like vocabulary (so searches meet realistic selectivity), and a lead for every fourth one.
    /// </summary>
    private static async Task SeedAsync(string connectionString, int conversations, int perConversation, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        const long userBase = 9_000_000_000;
        var conversationBase = await new NpgsqlCommand("SELECT coalesce(max(id), 0) + 1 FROM conversations", connection).ExecuteScalarAsync(ct) as long? ?? 1;
        var users = Math.Max(1, conversations / 2);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY telegram_users (id, first_name, username, is_blocked, created_at, last_seen_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var u = 0; u < users; u++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(userBase + u, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync($"{Vocabulary[random.Next(200, 400)]} {u}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync($"user{u}", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(now.AddDays(-90), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        var starts = new DateTimeOffset[conversations];
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY conversations (id, telegram_user_id, chat_id, status, started_at, last_message_at, closed_at, escalated_at, session_json) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var c = 0; c < conversations; c++)
            {
                var user = userBase + (c % users);
                var started = now.AddMinutes(-random.Next(0, 90 * 24 * 60));
                starts[c] = started;
                // Only the newest conversation of a user may be open (one open conversation per chat).
                var isNewestOfUser = c + users >= conversations;
                var status = !isNewestOfUser ? ConversationStatus.Closed : (ConversationStatus)random.Next(0, 4);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(conversationBase + c, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(user, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(user, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(status.ToString(), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(started, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(started.AddMinutes(perConversation), NpgsqlDbType.TimestampTz, ct);
                if (status == ConversationStatus.Closed)
                {
                    await copy.WriteAsync(started.AddMinutes(perConversation + 1), NpgsqlDbType.TimestampTz, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }

                if (random.Next(100) < 15)
                {
                    await copy.WriteAsync(started.AddMinutes(2), NpgsqlDbType.TimestampTz, ct);
                }
                else
                {
                    await copy.WriteNullAsync(ct);
                }

                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY messages (conversation_id, direction, sender_type, text, telegram_chat_id, is_internal_note, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var c = 0; c < conversations; c++)
            {
                for (var m = 0; m < perConversation; m++)
                {
                    var inbound = m % 2 == 0;
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(conversationBase + c, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(inbound ? "Inbound" : "Outbound", NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(inbound ? "User" : "Bot", NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(Sentence(random), NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(userBase + (c % users), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await copy.WriteAsync(starts[c].AddMinutes(m).AddSeconds(inbound ? 0 : 2), NpgsqlDbType.TimestampTz, ct);
                }
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY leads (conversation_id, telegram_user_id, category, answers_json, score, score_band, score_breakdown_json, status, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            string[] categories = ["web", "mobile", "mvp", "ai", "devops", "other"];
            for (var c = 0; c < conversations; c += 4)
            {
                var score = random.Next(0, 101);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(conversationBase + c, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(userBase + (c % users), NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(categories[random.Next(categories.Length)], NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync("""{"name":"Seed"}""", NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync(score, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(score >= 70 ? "Hot" : score >= 40 ? "Warm" : "Cold", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync("[]", NpgsqlDbType.Jsonb, ct);
                await copy.WriteAsync("New", NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(starts[c].AddMinutes(5), NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(starts[c].AddMinutes(5), NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await new NpgsqlCommand("SELECT setval(pg_get_serial_sequence('conversations', 'id'), (SELECT max(id) FROM conversations)); ANALYZE;", connection).ExecuteNonQueryAsync(ct);
    }

    /// <summary>8-20 words; word i is drawn with weight ~1/(i+1), so early words are common and late ones rare.</summary>
    private static string Sentence(Random random)
    {
        var words = new string[random.Next(8, 21)];
        for (var i = 0; i < words.Length; i++)
        {
            var r = random.NextDouble();
            var index = (int)Math.Min(Vocabulary.Length - 1, Math.Floor(Math.Exp(r * Math.Log(Vocabulary.Length + 1)) - 1));
            words[i] = Vocabulary[index];
        }

        return string.Join(' ', words);
    }

    private static string[] BuildVocabulary()
    {
        string[] stems = ["project", "invoice", "price", "website", "mobile", "app", "deadline", "budget", "design", "server", "deploy", "bug", "login", "payment", "order", "support", "team", "meeting", "estimate", "contract"];
        return Enumerable.Range(0, 5000).Select(i => i < stems.Length ? stems[i] : $"{stems[i % stems.Length]}{i}").ToArray();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
