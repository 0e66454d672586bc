using System.Globalization;
using System.Text;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>
/// What the intake says: the step questions with their keyboards, the summary, the next step after
/// confirmation and the agents' card. HTML parse mode; every user-supplied value goes through Html.Escape.
/// </summary>
internal static class IntakeTexts
{
    public const string Prefix = "intake";
    public const string StartCallback = Prefix + ":start";
    public const string ShareContactButton = "📱 Share my phone number";

    public const string ContinuePrompt = "Shall we continue with your project?";

    public static string Data(string step, string value) => $"{Prefix}:{step}:{value}";

    public static (string Html, IReadOnlyList<IReadOnlyList<OutboundButton>> Keyboard) Question(string step, IntakeState state, bool offerRestart)
    {
        var header = $"<b>Step {IntakeSteps.NumberOf(step)} of {IntakeSteps.Count} · {IntakeSteps.TitleOf(step)}</b>\n";
        var rows = new List<IReadOnlyList<OutboundButton>>();
        string body;
        switch (step)
        {
            case IntakeSteps.Type:
                body = "What do you need?";
                rows.AddRange(Choices(step, IntakeCatalog.ProjectTypes, state.ProjectType, perRow: 2));
                break;
            case IntakeSteps.Description:
                body = "Describe your project in a few sentences: what should it do, who is it for, and what do you " +
                       "already have (designs, an existing product, a deadline)? You can also attach a brief " +
                       "(PDF, Word, slides or images).\n" +
                       $"<i>{IntakeValidation.DescriptionMinLength} to {IntakeValidation.DescriptionMaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters.</i>" +
                       Current(state.Description is { } d ? Html.Escape(Shorten(d, 300)) : null);
                break;
            case IntakeSteps.Budget:
                body = "What budget do you have in mind for this project?";
                rows.AddRange(Choices(step, IntakeCatalog.Budgets, state.Budget, perRow: 2));
                break;
            case IntakeSteps.Timeline:
                body = "When do you need it?";
                rows.AddRange(Choices(step, IntakeCatalog.Timelines, state.Timeline, perRow: 2));
                break;
            case IntakeSteps.About:
                body = "What's your name, and which company are you with?\n" +
                       "For example: <i>Jane Doe, Acme Ltd</i>. If it's just you, your name is enough." +
                       Current(state.Name is { } name ? Html.Escape(state.Company is { } company ? $"{name}, {company}" : name) : null);
                break;
            case IntakeSteps.Decision:
                body = $"Thanks{(state.Name is { } n ? ", " + Html.Escape(FirstName(n)) : "")}! Do you decide on the budget for this project?";
                rows.AddRange(Choices(step, IntakeCatalog.Decisions, state.DecidesBudget, perRow: 3));
                break;
            case IntakeSteps.Contact:
                body = "How can we reach you? Send your <b>email</b> and/or <b>phone number</b> (international format, " +
                       "for example +14155552671), share your number with the button below, or tap <b>Telegram is fine</b>." +
                       Current(state.HasContact ? Html.Escape(ContactLine(state.Email, state.Phone, state.TelegramIsFine)) : null);
                rows.Add([OutboundButton.Callback("💬 Telegram is fine", Data(step, "tg"))]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "Not a question step.");
        }

        if (IntakeSteps.IsTextStep(step) && state.HasAnswer(step))
        {
            rows.Add([OutboundButton.Callback("✓ Keep my current answer", Data(step, "keep"))]);
        }

        if (offerRestart)
        {
            rows.Add([OutboundButton.Callback("🔄 Start over", Data(step, "restart"))]);
        }

        rows.Add([OutboundButton.Callback("« Back", Data(step, "back")), OutboundButton.Callback("✖ Cancel", Data(step, "cancel"))]);
        return (header + body, rows);
    }

    public static string ContactKeyboardPrompt =>
        "📱 Or tap the button below to share the phone number of your Telegram account.";

    public static string Summary(IntakeAnswers answers)
    {
        var text = new StringBuilder("<b>Here's your project summary</b>\n\n");
        Line(text, "Project type", answers.ProjectType is { } t ? IntakeCatalog.LabelOf(t) : null);
        Line(text, "Description", answers.Description is { } d ? Shorten(d, 700) : null);
        Line(text, "Budget", answers.Budget is { } b ? IntakeCatalog.LabelOf(b) : null);
        Line(text, "Timeline", answers.Timeline is { } tl ? IntakeCatalog.LabelOf(tl) : null);
        Line(text, "Name", answers.Name);
        Line(text, "Company", answers.Company ?? "—");
        Line(text, "Decides on the budget", answers.DecidesBudget is { } dm ? IntakeCatalog.LabelOf(dm) : null);
        Line(text, "Contact", ContactLine(answers.Email, answers.Phone, answers.TelegramIsFine));
        if (answers.Attachments.Count > 0)
        {
            Line(text, "Attachments", string.Join(", ", answers.Attachments.Select(a => a.FileName)));
        }
        text.Append("\nIs everything right? Tap <b>Confirm</b> to send it to our team, or <b>Edit</b> to change an answer.");
        return text.ToString();
    }

    public static IReadOnlyList<IReadOnlyList<OutboundButton>> SummaryKeyboard() =>
    [
        [OutboundButton.Callback("✅ Confirm", Data(IntakeSteps.Summary, "confirm"))],
        [OutboundButton.Callback("✏️ Edit", Data(IntakeSteps.Summary, "edit")), OutboundButton.Callback("✖ Cancel", Data(IntakeSteps.Summary, "cancel"))],
    ];

    public const string EditQuestion = "Which answer would you like to change?";

    public static IReadOnlyList<IReadOnlyList<OutboundButton>> EditKeyboard()
    {
        var rows = IntakeSteps.Editable
            .Select(step => OutboundButton.Callback($"{IntakeSteps.NumberOf(step)} · {IntakeSteps.TitleOf(step)}", Data(IntakeSteps.Edit, step)))
            .Chunk(2)
            .Select(pair => (IReadOnlyList<OutboundButton>)pair)
            .ToList();
        rows.Add([OutboundButton.Callback("« Back to the summary", Data(IntakeSteps.Edit, "back")), OutboundButton.Callback("✖ Cancel", Data(IntakeSteps.Edit, "cancel"))]);
        return rows;
    }

    public const string Cancelled =
        "Okay, I've cancelled your project intake and discarded the answers. Whenever you're ready, tap " +
        "<b>Start a project</b> or send /project.";

    /// <summary>The user's next step, by band: how soon we get back to them, and what they can do meanwhile.</summary>
    public static (string Html, IReadOnlyList<IReadOnlyList<OutboundButton>>? Keyboard) NextStep(
        LeadScore band, IntakeAnswers answers, long leadId, bool updated, IntakeOptions options)
    {
        var thanks = $"Thank you{(answers.Name is { } name ? ", " + Html.Escape(FirstName(name)) : "")}!";
        var saved = updated ? "I've updated your project details" : "Your project details are with our team now";
        var reference = $"\n\nYour reference: <b>#{leadId.ToString(CultureInfo.InvariantCulture)}</b>";
        var book = Html.Link(options.BookCallUrl, options.BookCallUrl);
        return band switch
        {
            LeadScore.Hot => (
                $"🎉 {thanks} {saved}, and someone will contact you within <b>1 business hour</b>.\n\n" +
                $"Want to talk even sooner? Book a call: {book}{reference}",
                [[OutboundButton.Link("📅 Book a call", options.BookCallUrl)]]),
            LeadScore.Warm => (
                $"🙌 {thanks} {saved}, and someone will contact you within <b>1 business day</b>.\n\n" +
                $"If you'd like to pick a time yourself, book a call: {book}{reference}",
                null),
            _ => (
                $"🙏 {thanks} {saved}.\n\nWhile you plan, these may help:\n" +
                $"• Our services and past projects: {Html.Link(options.WebsiteUrl, options.WebsiteUrl)}\n" +
                "• Answers to common questions: /faq\n" +
                $"• A call to talk your idea through: {book}\n\n" +
                $"Whenever you're ready to go further, come back and send /project. We'd love to help!{reference}",
                null),
        };
    }

    /// <summary>The lead as the agents' group sees it: everything needed to call back, and why it scored as it did.</summary>
    public static string GroupCard(Lead lead, IntakeAnswers answers, LeadScoreResult score, long telegramUserId, bool updated)
    {
        var icon = score.Band == LeadScore.Hot ? "🔥" : "🌤";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{icon} <b>{(updated ? "Updated" : "New")} {score.BandName} lead #{lead.Id}</b> · score {score.Score}/100\n\n");
        Line(text, "Project type", answers.ProjectType is { } t ? IntakeCatalog.LabelOf(t) : null);
        Line(text, "Budget", answers.Budget is { } b ? IntakeCatalog.LabelOf(b) : null);
        Line(text, "Timeline", answers.Timeline is { } tl ? IntakeCatalog.LabelOf(tl) : null);
        var person = answers.Company is { } company ? $"{answers.Name}, {company}" : answers.Name;
        Line(text, "From", person);
        Line(text, "Decides on the budget", answers.DecidesBudget is { } dm ? IntakeCatalog.LabelOf(dm) : null);
        Line(text, "Contact", ContactLine(answers.Email, answers.Phone, answers.TelegramIsFine));
        if (answers.Attachments.Count > 0)
        {
            Line(text, "Attachments", string.Join(", ", answers.Attachments.Select(a => a.FileName)));
        }
        var telegram = answers.TelegramUsername is { Length: > 0 } username ? $"@{username}" : "open chat";
        text.Append(CultureInfo.InvariantCulture,
            $"<b>Telegram:</b> {Html.Link(telegram, $"tg://user?id={telegramUserId}")}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"\n<b>Description:</b>\n<blockquote>{Html.Escape(Shorten(answers.Description ?? "", 1500))}</blockquote>\n");
        text.Append("\n<b>Score:</b>\n");
        foreach (var factor in score.Breakdown)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"• {Html.Escape(factor.Factor.Replace('_', ' '))}: {factor.Points}/{factor.Max} ({Html.Escape(factor.Reason)})\n");
        }

        if (answers.OpenQuestions.Count > 0)
        {
            text.Append("\n<b>Questions to answer:</b>\n");
            foreach (var question in answers.OpenQuestions)
            {
                text.Append(CultureInfo.InvariantCulture, $"• {Html.Escape(question)}\n");
            }
        }

        return text.ToString().TrimEnd();
    }

    public static string ContactLine(string? email, string? phone, bool telegramIsFine)
    {
        var parts = new List<string>();
        if (email is not null)
        {
            parts.Add(email);
        }

        if (phone is not null)
        {
            parts.Add(phone);
        }

        if (parts.Count == 0 && telegramIsFine)
        {
            parts.Add("Telegram is fine");
        }

        return string.Join(" · ", parts);
    }

    /// <summary>The value's first word, for a friendlier "Thanks, Jane!".</summary>
    public static string FirstName(string name) => name.Trim().Split(' ', 2)[0];

    private static IEnumerable<IReadOnlyList<OutboundButton>> Choices<T>(string step, IReadOnlyList<IntakeChoice<T>> choices, T? current, int perRow)
        where T : struct, Enum =>
        choices
            .Select(c => OutboundButton.Callback(
                (current is { } v && EqualityComparer<T>.Default.Equals(v, c.Value) ? "✓ " : "") + c.Label,
                Data(step, c.Code)))
            .Chunk(perRow)
            .Select(row => (IReadOnlyList<OutboundButton>)row);

    private static string Current(string? escapedValue) =>
        escapedValue is null ? "" : $"\n\nYour current answer: <i>{escapedValue}</i>";

    private static void Line(StringBuilder text, string label, string? value) =>
        text.Append(CultureInfo.InvariantCulture, $"<b>{label}:</b> {Html.Escape(string.IsNullOrWhiteSpace(value) ? "—" : value)}\n");

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
}
