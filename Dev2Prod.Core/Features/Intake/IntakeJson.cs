using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dev2Prod.Core.Features.Intake;

/// <summary>
/// The stored shapes of a lead: the answers (choices by their catalogue codes, so the JSON reads like the
/// conversation) and the score breakdown as <c>[{factor, points, max, reason}]</c>.
/// </summary>
public static class IntakeJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string SerializeAnswers(IntakeAnswers answers)
    {
        var json = new JsonObject
        {
            ["projectType"] = answers.ProjectType is { } type ? IntakeCatalog.CategoryOf(type) : null,
            ["description"] = answers.Description,
            ["budget"] = Code(IntakeCatalog.Budgets, answers.Budget),
            ["timeline"] = Code(IntakeCatalog.Timelines, answers.Timeline),
            ["name"] = answers.Name,
            ["company"] = answers.Company,
            ["decidesBudget"] = Code(IntakeCatalog.Decisions, answers.DecidesBudget),
            ["email"] = answers.Email,
            ["phone"] = answers.Phone,
            ["telegramIsFine"] = answers.TelegramIsFine,
            ["telegramUsername"] = answers.TelegramUsername,
            ["openQuestions"] = new JsonArray(answers.OpenQuestions.Select(q => (JsonNode?)JsonValue.Create(q)).ToArray()),
            ["attachments"] = new JsonArray(answers.Attachments
                .Select(a => (JsonNode?)new JsonObject { ["id"] = a.Id.ToString(), ["fileName"] = a.FileName }).ToArray()),
        };
        return json.ToJsonString(Options);
    }

    public static IntakeAnswers DeserializeAnswers(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("The answers are not a JSON object.");
        return new IntakeAnswers
        {
            ProjectType = IntakeCatalog.ByCode(IntakeCatalog.ProjectTypes, Text(node, "projectType"))?.Value,
            Description = Text(node, "description"),
            Budget = IntakeCatalog.ByCode(IntakeCatalog.Budgets, Text(node, "budget"))?.Value,
            Timeline = IntakeCatalog.ByCode(IntakeCatalog.Timelines, Text(node, "timeline"))?.Value,
            Name = Text(node, "name"),
            Company = Text(node, "company"),
            DecidesBudget = IntakeCatalog.ByCode(IntakeCatalog.Decisions, Text(node, "decidesBudget"))?.Value,
            Email = Text(node, "email"),
            Phone = Text(node, "phone"),
            TelegramIsFine = node["telegramIsFine"]?.GetValue<bool>() ?? false,
            TelegramUsername = Text(node, "telegramUsername"),
            OpenQuestions = node["openQuestions"] is JsonArray questions ? questions.Select(q => q?.GetValue<string>() ?? "").ToList() : [],
            Attachments = node["attachments"] is JsonArray attachments
                ? attachments.OfType<JsonObject>()
                    .Where(a => Guid.TryParse(Text(a, "id"), out _))
                    .Select(a => new IntakeAttachment(Guid.Parse(Text(a, "id")!), Text(a, "fileName") ?? ""))
                    .ToList()
                : [],
        };
    }

    public static string SerializeBreakdown(IEnumerable<ScoreFactor> breakdown) => JsonSerializer.Serialize(breakdown, Options);

    public static IReadOnlyList<ScoreFactor> DeserializeBreakdown(string json) =>
        JsonSerializer.Deserialize<List<ScoreFactor>>(json, Options) ?? [];

    /// <summary>True when two stored answer documents say the same (jsonb reorders keys and drops white space).</summary>
    public static bool SameAnswers(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

    private static string? Code<T>(IReadOnlyList<IntakeChoice<T>> choices, T? value) where T : struct, Enum =>
        value is { } v ? choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, v)).Code : null;

    private static string? Text(JsonObject node, string name) => node[name]?.GetValue<string>();
}
