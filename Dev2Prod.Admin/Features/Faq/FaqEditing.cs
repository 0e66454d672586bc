using System.Text.Json;
using Dev2Prod.Admin.Data;
using Dev2Prod.Admin.Features.Audit;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Faq;
using Dev2Prod.Core.Telegram;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Dev2Prod.Admin.Features.Faq;

/// <summary>One inline button of an answer: its label and what it does (see <see cref="FaqEditing.KnownActions"/>).</summary>
public sealed class FaqButtonDraft
{
    public string Text { get; set; } = "";
    public string Action { get; set; } = "";
}

/// <summary>The editable part of a knowledge-base entry, as the editor holds it.</summary>
public sealed class FaqEntryDraft
{
    public string Id { get; init; } = "";
    public string Category { get; set; } = "";
    public string Title { get; set; } = "";
    public string Answer { get; set; } = "";

    /// <summary>One phrasing per line in the editor.</summary>
    public string PhrasingsText { get; set; } = "";
    public List<FaqButtonDraft> Buttons { get; set; } = [];
    public bool IsEnabled { get; set; } = true;

    /// <summary>When the entry was loaded: a save is refused if someone else saved it since.</summary>
    public DateTimeOffset LoadedUpdatedAt { get; init; }

    public IReadOnlyList<string> Phrasings() =>
        PhrasingsText.Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();

    public static FaqEntryDraft From(FaqEntry entry) => new()
    {
        Id = entry.Id,
        Category = entry.Category,
        Title = entry.Title,
        Answer = entry.Answer,
        PhrasingsText = string.Join('\n', entry.Phrasings),
        Buttons = FaqEditing.ParseButtons(entry.ButtonsJson),
        IsEnabled = entry.IsEnabled,
        LoadedUpdatedAt = entry.UpdatedAt,
    };
}

/// <summary>The outcome of a save: saved, or the reasons it was not.</summary>
public sealed record FaqSaveResult(bool Saved, IReadOnlyList<string> Errors)
{
    public static FaqSaveResult Ok { get; } = new(true, []);

    public static FaqSaveResult Refused(params string[] errors) => new(false, errors);
}

/// <summary>
/// Editing the knowledge base from the dashboard: validation (Telegram HTML, lengths, button actions), the save
/// with an audit-log row, and the "knowledge base changed" signal that makes every Api replica reload its
/// classifier at once (without it they would notice within 15 s by polling).
/// </summary>
public sealed class FaqEditing(DbAccess db, IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>Telegram refuses longer messages; the column has the same limit.</summary>
    public const int MaxAnswerLength = 4096;
    public const int MaxTitleLength = 128;
    public const int MaxCategoryLength = 64;
    public const int MaxPhrasingLength = 300;
    public const int MaxPhrasings = 100;
    public const int MaxButtons = 8;
    public const int MaxButtonTextLength = 64;

    /// <summary>Button actions the bot understands (besides <c>faq:&lt;topic&gt;</c> and https links).</summary>
    public static readonly IReadOnlyList<string> KnownActions = ["intake.start", "handoff.request", "book-call"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Every problem with a draft, at once; empty when it may be saved.</summary>
    public static IReadOnlyList<string> Validate(FaqEntryDraft draft, IReadOnlySet<string> topicIds)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(draft.Title) || draft.Title.Length > MaxTitleLength)
        {
            errors.Add($"Title: 1 to {MaxTitleLength} characters.");
        }

        if (string.IsNullOrWhiteSpace(draft.Category) || draft.Category.Length > MaxCategoryLength)
        {
            errors.Add($"Category: 1 to {MaxCategoryLength} characters.");
        }

        errors.AddRange(ValidateAnswer(draft.Answer));

        var phrasings = draft.Phrasings();
        if (phrasings.Count == 0)
        {
            errors.Add("Phrasings: at least one example question (one per line).");
        }
        else if (phrasings.Count > MaxPhrasings)
        {
            errors.Add($"Phrasings: at most {MaxPhrasings}.");
        }

        if (phrasings.FirstOrDefault(p => p.Length > MaxPhrasingLength) is { } tooLong)
        {
            errors.Add($"Phrasing too long (max {MaxPhrasingLength} characters): \"{Shorten(tooLong)}\".");
        }

        if (phrasings.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            errors.Add($"Phrasing listed twice: \"{Shorten(duplicate.Key)}\".");
        }

        if (draft.Buttons.Count > MaxButtons)
        {
            errors.Add($"Buttons: at most {MaxButtons}.");
        }

        foreach (var (button, index) in draft.Buttons.Select((b, i) => (b, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(button.Text) || button.Text.Length > MaxButtonTextLength)
            {
                errors.Add($"Button {index}: the label must be 1 to {MaxButtonTextLength} characters.");
            }

            if (!IsValidAction(button.Action?.Trim() ?? "", topicIds))
            {
                errors.Add($"Button {index}: unknown action \"{Shorten(button.Action ?? "")}\" (use {string.Join(", ", KnownActions)}, faq:<topic id> or an https:// link).");
            }
        }

        return errors;
    }

    /// <summary>Telegram HTML rules for an answer: its length and only the tags Telegram accepts, properly closed and escaped.</summary>
    public static IReadOnlyList<string> ValidateAnswer(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return ["Answer: required."];
        }

        if (answer.Length > MaxAnswerLength)
        {
            return [$"Answer: at most {MaxAnswerLength} characters (now {answer.Length})."];
        }

        var parsed = TelegramHtmlFormat.Parse(answer);
        return parsed.IsValid ? [] : [$"Answer is not valid Telegram HTML: {parsed.Error}."];
    }

    public static bool IsValidAction(string action, IReadOnlySet<string> topicIds) =>
        KnownActions.Contains(action)
        || (action.StartsWith("faq:", StringComparison.Ordinal) && topicIds.Contains(action[4..]))
        || (action.StartsWith("https://", StringComparison.Ordinal) && Uri.TryCreate(action, UriKind.Absolute, out var uri) && uri.Host.Length > 0);

    public static List<FaqButtonDraft> ParseButtons(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<List<FaqButtonDraft>>(json, JsonOptions) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public Task<List<FaqEntry>> ListAsync(CancellationToken cancellationToken) =>
        db.QueryAsync((ctx, ct) => ctx.FaqEntries.AsNoTracking().OrderBy(e => e.Category).ThenBy(e => e.SortOrder).ThenBy(e => e.Id).ToListAsync(ct), cancellationToken);

    /// <summary>Validates, saves, audit-logs and announces the change; refuses a draft of an entry someone saved meanwhile.</summary>
    public async Task<FaqSaveResult> SaveAsync(FaqEntryDraft draft, string actor, CancellationToken cancellationToken)
    {
        var result = await db.QueryAsync(async (ctx, ct) =>
        {
            var topicIds = (await ctx.FaqEntries.Select(e => e.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var errors = Validate(draft, topicIds);
            if (errors.Count > 0)
            {
                return new FaqSaveResult(false, errors);
            }

            var entry = await ctx.FaqEntries.SingleOrDefaultAsync(e => e.Id == draft.Id, ct);
            if (entry is null)
            {
                return FaqSaveResult.Refused("This topic no longer exists.");
            }

            if (entry.UpdatedAt != draft.LoadedUpdatedAt)
            {
                return FaqSaveResult.Refused($"{entry.UpdatedBy ?? "Someone"} saved this topic after you opened it. Reload it and apply your changes again.");
            }

            var changed = ChangedFields(entry, draft);
            if (changed.Count == 0)
            {
                return FaqSaveResult.Ok;
            }

            entry.Title = draft.Title.Trim();
            entry.Category = draft.Category.Trim();
            entry.Answer = draft.Answer.Trim();
            entry.Phrasings = [.. draft.Phrasings()];
            entry.ButtonsJson = ButtonsJson(draft);
            entry.IsEnabled = draft.IsEnabled;
            entry.UpdatedAt = time.GetUtcNow();
            entry.UpdatedBy = actor;
            AuditTrail.Record(ctx, time, actor, "faq.edit", entry.Id, "changed: " + string.Join(", ", changed));
            try
            {
                await ctx.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return FaqSaveResult.Refused("Someone saved this topic at the same moment. Reload it and apply your changes again.");
            }

            return FaqSaveResult.Ok;
        }, cancellationToken);

        if (result.Saved)
        {
            // Best effort: the Api also polls the newest updated_at, so a lost message delays the change by seconds only.
            try
            {
                await FaqChanges.PublishAsync(redis);
            }
            catch (RedisException)
            {
            }
        }

        return result;
    }

    private static List<string> ChangedFields(FaqEntry entry, FaqEntryDraft draft)
    {
        var changed = new List<string>();
        if (entry.Title != draft.Title.Trim()) { changed.Add("title"); }
        if (entry.Category != draft.Category.Trim()) { changed.Add("category"); }
        if (entry.Answer != draft.Answer.Trim()) { changed.Add("answer"); }
        if (!entry.Phrasings.SequenceEqual(draft.Phrasings())) { changed.Add("phrasings"); }
        if (ButtonsJson(FaqEntryDraft.From(entry)) != ButtonsJson(draft)) { changed.Add("buttons"); }
        if (entry.IsEnabled != draft.IsEnabled) { changed.Add(draft.IsEnabled ? "enabled" : "disabled"); }
        return changed;
    }

    private static string ButtonsJson(FaqEntryDraft draft) =>
        JsonSerializer.Serialize(draft.Buttons.Select(b => new { text = b.Text.Trim(), action = b.Action.Trim() }), JsonOptions);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
