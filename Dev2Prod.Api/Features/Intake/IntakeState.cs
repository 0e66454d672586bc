using System.Globalization;
using System.Text.Json;
using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Core.Features.Intake;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>
/// Typed access to the intake's answers in the session (<see cref="ConversationSession.Data"/>): the session
/// is saved with the conversation on every update and cached in Redis, so the intake survives both the cache
/// expiring and restarts. Choices are kept by their catalogue codes.
/// </summary>
internal sealed class IntakeState(ConversationSession session)
{
    private const string TypeKey = "type";
    private const string DescriptionKey = "description";
    private const string BudgetKey = "budget";
    private const string TimelineKey = "timeline";
    private const string NameKey = "name";
    private const string CompanyKey = "company";
    private const string DecisionKey = "decision";
    private const string EmailKey = "email";
    private const string PhoneKey = "phone";
    private const string TelegramKey = "telegram";
    private const string EditingKey = "editing";
    private const string ContactKeyboardKey = "contactKeyboard";
    private const string OriginKey = "origin";
    private const string QuestionsKey = "questions";
    private const string AttachmentsKey = "attachments";
    private const int MaxAttachments = 20;

    private const int MaxOpenQuestions = 5;
    private const int MaxQuestionLength = 300;

    public ProjectType? ProjectType
    {
        get => IntakeCatalog.ByCode(IntakeCatalog.ProjectTypes, Get(TypeKey))?.Value;
        set => Set(TypeKey, value is { } v ? IntakeCatalog.CategoryOf(v) : null);
    }

    public string? Description
    {
        get => Get(DescriptionKey);
        set => Set(DescriptionKey, value);
    }

    public BudgetRange? Budget
    {
        get => IntakeCatalog.ByCode(IntakeCatalog.Budgets, Get(BudgetKey))?.Value;
        set => Set(BudgetKey, CodeOf(IntakeCatalog.Budgets, value));
    }

    public ProjectTimeline? Timeline
    {
        get => IntakeCatalog.ByCode(IntakeCatalog.Timelines, Get(TimelineKey))?.Value;
        set => Set(TimelineKey, CodeOf(IntakeCatalog.Timelines, value));
    }

    public string? Name => Get(NameKey);

    public string? Company => Get(CompanyKey);

    public BudgetDecision? DecidesBudget
    {
        get => IntakeCatalog.ByCode(IntakeCatalog.Decisions, Get(DecisionKey))?.Value;
        set => Set(DecisionKey, CodeOf(IntakeCatalog.Decisions, value));
    }

    public string? Email => Get(EmailKey);

    public string? Phone => Get(PhoneKey);

    public bool TelegramIsFine => Get(TelegramKey) == "1";

    public bool HasContact => Email is not null || Phone is not null || TelegramIsFine;

    /// <summary>A step was reached from the summary's Edit: answering it returns to the summary.</summary>
    public bool Editing
    {
        get => Get(EditingKey) == "1";
        set => Set(EditingKey, value ? "1" : null);
    }

    /// <summary>The "share my phone number" reply keyboard is showing and must be removed when the user moves on.</summary>
    public bool ContactKeyboardShown
    {
        get => Get(ContactKeyboardKey) == "1";
        set => Set(ContactKeyboardKey, value ? "1" : null);
    }

    /// <summary>The message whose "Start a project" button started the intake: a second tap on it is a double tap.</summary>
    public int? OriginMessageId
    {
        get => int.TryParse(Get(OriginKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
        set => Set(OriginKey, value?.ToString(CultureInfo.InvariantCulture));
    }

    public IReadOnlyList<string> OpenQuestions =>
        Get(QuestionsKey) is { } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];

    public void SetNameAndCompany(PersonAndCompany person)
    {
        Set(NameKey, person.Name);
        Set(CompanyKey, person.Company);
    }

    /// <summary>Step 6 is answered as a whole: new details replace the previous ones.</summary>
    public void SetContact(string? email, string? phone)
    {
        Set(EmailKey, email);
        Set(PhoneKey, phone);
        Set(TelegramKey, null);
    }

    public void SetTelegramIsFine()
    {
        Set(EmailKey, null);
        Set(PhoneKey, null);
        Set(TelegramKey, "1");
    }

    /// <summary>Keeps a question the bot could not answer, for the team (a few, shortened).</summary>
    public void AddOpenQuestion(string question)
    {
        var questions = OpenQuestions.ToList();
        if (questions.Count >= MaxOpenQuestions)
        {
            return;
        }

        var text = question.Trim();
        questions.Add(text.Length > MaxQuestionLength ? text[..MaxQuestionLength] + "…" : text);
        Set(QuestionsKey, JsonSerializer.Serialize(questions));
    }

    /// <summary>Files attached during the intake (stored attachments), oldest first.</summary>
    public IReadOnlyList<IntakeAttachment> Attachments =>
        Get(AttachmentsKey) is { } json ? JsonSerializer.Deserialize<List<IntakeAttachment>>(json) ?? [] : [];

    /// <summary>Links a stored attachment to the answers (once; a few dozen at most, the rest stay in the conversation).</summary>
    public void AddAttachment(Guid id, string fileName)
    {
        var attachments = Attachments.ToList();
        if (attachments.Count >= MaxAttachments || attachments.Any(a => a.Id == id))
        {
            return;
        }

        attachments.Add(new IntakeAttachment(id, fileName));
        Set(AttachmentsKey, JsonSerializer.Serialize(attachments));
    }

    /// <summary>True when the step already has an answer (its "Keep" button makes sense).</summary>
    public bool HasAnswer(string step) => step switch
    {
        IntakeSteps.Type => ProjectType is not null,
        IntakeSteps.Description => Description is not null,
        IntakeSteps.Budget => Budget is not null,
        IntakeSteps.Timeline => Timeline is not null,
        IntakeSteps.About => Name is not null,
        IntakeSteps.Decision => DecidesBudget is not null,
        IntakeSteps.Contact => HasContact,
        _ => false,
    };

    public IntakeAnswers ToAnswers(string? telegramUsername) => new()
    {
        ProjectType = ProjectType,
        Description = Description,
        Budget = Budget,
        Timeline = Timeline,
        Name = Name,
        Company = Company,
        DecidesBudget = DecidesBudget,
        Email = Email,
        Phone = Phone,
        TelegramIsFine = TelegramIsFine,
        TelegramUsername = telegramUsername,
        OpenQuestions = OpenQuestions,
        Attachments = Attachments,
    };

    private string? Get(string key) => session.Data.TryGetValue(key, out var value) ? value : null;

    private void Set(string key, string? value)
    {
        if (value is null)
        {
            session.Data.Remove(key);
        }
        else
        {
            session.Data[key] = value;
        }
    }

    private static string? CodeOf<T>(IReadOnlyList<IntakeChoice<T>> choices, T? value) where T : struct, Enum =>
        value is { } v ? choices.First(c => EqualityComparer<T>.Default.Equals(c.Value, v)).Code : null;
}
