using Dev2Prod.Api.Features.Conversations;
using Dev2Prod.Api.Features.Conversations.Handlers;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Features.Intake;
using Dev2Prod.Core.Telegram;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TelegramMessage = Telegram.Bot.Types.Message;

namespace Dev2Prod.Api.Features.Intake;

/// <summary>
/// The project intake: six steps (type, description, budget, timeline, about you, contact), a summary with
/// Confirm / Edit / Cancel, then a scored lead. The state is the conversation session only, so the intake
/// survives the Redis copy expiring and restarts. Buttons carry their step (<c>intake:budget:15-50k</c>) and a
/// press whose step is not the current one is only acknowledged: a double tap or a redelivered callback
/// never skips a step or confirms twice.
/// </summary>
public sealed partial class IntakeFlow(
    IIntakeQuestionDetector questionDetector,
    IntakeLeads leads,
    IOptionsMonitor<IntakeOptions> options,
    IEnumerable<MainMenuEntry> menu,
    TimeProvider time,
    ILogger<IntakeFlow> logger)
{
    public const string FlowName = "intake";

    private const string UnansweredQuestion =
        "Good question! I can't answer that one right here, so I've noted it for our team: they'll answer it when they get in touch. " +
        IntakeTexts.ContinuePrompt;

    public static bool IsActive(ConversationSession session) => session.Flow == FlowName;

    /// <summary>
    /// Starts the intake (<c>/project</c>, the "Start a project" button, the <c>intake.start</c> intent). When
    /// one is already in progress it continues at the current step instead of starting over.
    /// </summary>
    public async Task StartAsync(TurnContext turn)
    {
        if (turn.Conversation is null)
        {
            turn.Replies.AnswerCallback("Please message me privately to start a project.");
            return;
        }

        var origin = CallbackMessageId(turn);
        if (IsActive(turn.Session) || await TryResumePreviousAsync(turn))
        {
            var current = new IntakeState(turn.Session);
            if (origin is not null && current.OriginMessageId == origin)
            {
                // The same "Start a project" button again: a double tap.
                turn.Replies.AnswerCallback("Your project intake is already open: see the latest question below.");
                return;
            }

            Ask(turn, current, CurrentStep(turn), "You already have a project in progress, so let's continue where you stopped.", offerRestart: true);
            return;
        }

        Begin(turn, origin, "Great, let's get your project started! It's 6 short steps and takes about two minutes. " +
                            "You can go back or cancel at any time.");
        LogStarted(logger);
    }

    public async Task HandleCallbackAsync(TurnContext turn, string payload)
    {
        if (payload == "start")
        {
            await StartAsync(turn);
            return;
        }

        var parts = payload.Split(':', 2);
        if (turn.Conversation is null || parts.Length != 2)
        {
            turn.Replies.AnswerCallback("This button is no longer available.");
            return;
        }

        if (!IsActive(turn.Session) && !await TryResumePreviousAsync(turn))
        {
            turn.Replies.AnswerCallback("This project intake has already ended. Send /project to start a new one.");
            return;
        }

        var (step, value) = (parts[0], parts[1]);
        if (!string.Equals(step, turn.Session.Step, StringComparison.Ordinal))
        {
            // A double tap, a redelivered callback or an old message: the step it answers has moved on.
            LogStaleButton(logger, step, turn.Session.Step);
            turn.Replies.AnswerCallback("That button belongs to an earlier question. Please use the latest message.");
            return;
        }

        var state = new IntakeState(turn.Session);
        RemoveButtons(turn);
        switch (value)
        {
            case "cancel":
                Cancel(turn, state);
                return;
            case "back":
                Back(turn, state, step);
                return;
            case "restart":
                Begin(turn, origin: null, "Okay, let's start over.");
                return;
            case "keep" when state.HasAnswer(step):
                Advance(turn, state, step);
                return;
        }

        switch (step)
        {
            case IntakeSteps.Type when IntakeCatalog.ByCode(IntakeCatalog.ProjectTypes, value) is { } type:
                state.ProjectType = type.Value;
                Advance(turn, state, step);
                break;
            case IntakeSteps.Budget when IntakeCatalog.ByCode(IntakeCatalog.Budgets, value) is { } budget:
                state.Budget = budget.Value;
                Advance(turn, state, step);
                break;
            case IntakeSteps.Timeline when IntakeCatalog.ByCode(IntakeCatalog.Timelines, value) is { } timeline:
                state.Timeline = timeline.Value;
                Advance(turn, state, step);
                break;
            case IntakeSteps.Decision when IntakeCatalog.ByCode(IntakeCatalog.Decisions, value) is { } decision:
                state.DecidesBudget = decision.Value;
                Advance(turn, state, step);
                break;
            case IntakeSteps.Contact when value == "tg":
                state.SetTelegramIsFine();
                RemoveContactKeyboard(turn, state, "Telegram it is! ✅");
                Advance(turn, state, step);
                break;
            case IntakeSteps.Summary when value == "confirm":
                await ConfirmAsync(turn, state);
                break;
            case IntakeSteps.Summary when value == "edit":
                Go(turn, state, IntakeSteps.Edit);
                break;
            case IntakeSteps.Edit when IntakeSteps.Editable.Contains(value):
                state.Editing = true;
                Go(turn, state, value);
                break;
            default:
                turn.Replies.AnswerCallback("This button is no longer available.");
                Ask(turn, state, step);
                break;
        }
    }

    /// <summary>Free text while an intake is active: an answer, a question, or something to point back to the step.</summary>
    public async Task<bool> TryHandleTextAsync(TurnContext turn, string text)
    {
        if (turn.Conversation is null || (!IsActive(turn.Session) && !await TryResumePreviousAsync(turn)))
        {
            return false;
        }

        var state = new IntakeState(turn.Session);
        var step = CurrentStep(turn);

        // A typed choice ("Mobile", "15-50k") first: a knowledge base could take a bare topic word for a question.
        if (TryTypedChoice(state, step, text))
        {
            Advance(turn, state, step);
            return true;
        }

        if (await questionDetector.TryAnswerAsync(text, turn.CancellationToken) is { } answer)
        {
            turn.Replies.Text(answer.Html, answer.Keyboard);
            Ask(turn, state, step, IntakeTexts.ContinuePrompt);
            return true;
        }

        if (IntakeValidation.LooksLikeQuestion(text))
        {
            state.AddOpenQuestion(text);
            Ask(turn, state, step, UnansweredQuestion);
            return true;
        }

        switch (step)
        {
            case IntakeSteps.Description:
                var description = IntakeValidation.CheckDescription(text);
                if (!description.IsValid)
                {
                    Ask(turn, state, step, "⚠️ " + description.Error);
                    return true;
                }

                state.Description = description.Value;
                Advance(turn, state, step);
                return true;

            case IntakeSteps.About:
                var person = IntakeValidation.CheckNameAndCompany(text);
                if (!person.IsValid)
                {
                    Ask(turn, state, step, "⚠️ " + person.Error);
                    return true;
                }

                state.SetNameAndCompany(person.Value!);
                Advance(turn, state, step);
                return true;

            case IntakeSteps.Contact when IntakeValidation.MeansTelegramIsFine(text):
                state.SetTelegramIsFine();
                RemoveContactKeyboard(turn, state, "Telegram it is! ✅");
                Advance(turn, state, step);
                return true;

            case IntakeSteps.Contact:
                var contact = IntakeValidation.CheckContact(text);
                if (!contact.IsValid)
                {
                    Ask(turn, state, step, "⚠️ " + contact.Error);
                    return true;
                }

                state.SetContact(contact.Value!.Email, contact.Value.Phone);
                RemoveContactKeyboard(turn, state, "Thanks, got it! ✅");
                Advance(turn, state, step);
                return true;

            case IntakeSteps.Summary:
                Ask(turn, state, step, "Please use the buttons below: Confirm to send your project to our team, Edit to change an answer, or Cancel.");
                return true;

            case IntakeSteps.Edit:
                Ask(turn, state, step, "Please pick the answer you'd like to change with the buttons below.");
                return true;

            default:
                Ask(turn, state, step, "Please pick one of the options below by tapping a button.");
                return true;
        }
    }

    /// <summary>Non-text messages while an intake is active: the shared contact at step 6; anything else points back to the step.</summary>
    public async Task<bool> TryHandleMediaAsync(TurnContext turn, TelegramMessage message)
    {
        if (turn.Conversation is null || (!IsActive(turn.Session) && !await TryResumePreviousAsync(turn)))
        {
            return false;
        }

        var state = new IntakeState(turn.Session);
        var step = CurrentStep(turn);
        if (message.Contact is not { } contact)
        {
            Ask(turn, state, step, "I can only take text or the buttons here, sorry. " + IntakeTexts.ContinuePrompt);
            return true;
        }

        // A one-time keyboard hides itself once used.
        state.ContactKeyboardShown = false;
        if (step != IntakeSteps.Contact)
        {
            Ask(turn, state, step, "Thanks! I'll ask for your contact details in step 6. First, this one:");
            return true;
        }

        if (!IntakeValidation.TryNormalizeSharedPhone(contact.PhoneNumber, out var phone))
        {
            Ask(turn, state, step, "⚠️ I couldn't read a phone number from that contact. Please type your number in " +
                                   "international format (for example +14155552671) or your email address.");
            return true;
        }

        state.SetContact(email: null, phone);
        turn.Replies.Text("Thanks, got your number! ✅", new OutboundPayload { RemoveReplyKeyboard = true });
        Advance(turn, state, step);
        return true;
    }

    /// <summary>A choice step answered by typing the option instead of tapping it.</summary>
    private static bool TryTypedChoice(IntakeState state, string step, string text)
    {
        switch (step)
        {
            case IntakeSteps.Type when IntakeCatalog.ByTypedText(IntakeCatalog.ProjectTypes, text) is { } type:
                state.ProjectType = type.Value;
                return true;
            case IntakeSteps.Budget when IntakeCatalog.ByTypedText(IntakeCatalog.Budgets, text) is { } budget:
                state.Budget = budget.Value;
                return true;
            case IntakeSteps.Timeline when IntakeCatalog.ByTypedText(IntakeCatalog.Timelines, text) is { } timeline:
                state.Timeline = timeline.Value;
                return true;
            case IntakeSteps.Decision when IntakeCatalog.ByTypedText(IntakeCatalog.Decisions, text) is { } decision:
                state.DecidesBudget = decision.Value;
                return true;
            default:
                return false;
        }
    }

    private void Begin(TurnContext turn, int? origin, string intro)
    {
        var keyboardShown = IsActive(turn.Session) && new IntakeState(turn.Session).ContactKeyboardShown;
        turn.Session.StartFlow(FlowName, IntakeSteps.Type);
        var state = new IntakeState(turn.Session) { OriginMessageId = origin, ContactKeyboardShown = keyboardShown };
        RemoveContactKeyboard(turn, state, "Okay.");
        Ask(turn, state, IntakeSteps.Type, intro);
    }

    private async Task ConfirmAsync(TurnContext turn, IntakeState state)
    {
        var answers = state.ToAnswers(turn.User?.Username);
        if (!answers.IsComplete)
        {
            var missing = IntakeSteps.Sequence.First(step => step != IntakeSteps.Summary && !state.HasAnswer(step));
            state.Editing = false;
            Go(turn, state, missing, "One answer is still missing:");
            return;
        }

        var saved = await leads.SaveAsync(turn, answers);
        turn.Session.EndFlow();
        if (saved.Write == LeadWrite.Unchanged)
        {
            turn.Replies.Text("We already have exactly these project details, thank you! Our team will be in touch.", menu.MainMenuKeyboard());
            return;
        }

        var (html, keyboard) = IntakeTexts.NextStep(saved.Score.Band, answers, saved.Lead.Id, saved.Write == LeadWrite.Updated, options.CurrentValue);
        turn.Replies.Text(html, keyboard);
        await leads.PostToAgentsAsync(turn, saved, answers);
    }

    private void Advance(TurnContext turn, IntakeState state, string step)
    {
        var next = IntakeSteps.Next(step);
        if (state.Editing && step != IntakeSteps.About)
        {
            // An answer changed from the summary's Edit goes straight back to the summary (the name leads on
            // to the decision-maker question first: both are step 5).
            next = IntakeSteps.Summary;
        }

        if (next == IntakeSteps.Summary)
        {
            state.Editing = false;
        }

        Go(turn, state, next);
    }

    private void Back(TurnContext turn, IntakeState state, string step)
    {
        if (step == IntakeSteps.Edit || (state.Editing && step != IntakeSteps.Decision))
        {
            state.Editing = false;
            Go(turn, state, IntakeSteps.Summary);
            return;
        }

        if (IntakeSteps.Previous(step) is { } previous)
        {
            Go(turn, state, previous);
            return;
        }

        // Back from the first step leaves the intake for the main menu.
        var keyboardShown = state.ContactKeyboardShown;
        turn.Session.EndFlow();
        if (keyboardShown)
        {
            turn.Replies.Text("Okay.", new OutboundPayload { RemoveReplyKeyboard = true });
        }

        turn.Replies.Text("No problem, I've closed the project intake. " + BotTexts.WhatICanDo, menu.MainMenuKeyboard());
    }

    private void Cancel(TurnContext turn, IntakeState state)
    {
        var keyboardShown = state.ContactKeyboardShown;
        turn.Session.EndFlow();
        LogCancelled(logger);
        if (keyboardShown)
        {
            turn.Replies.Text(IntakeTexts.Cancelled, new OutboundPayload { RemoveReplyKeyboard = true });
            return;
        }

        turn.Replies.Text(IntakeTexts.Cancelled, menu.MainMenuKeyboard());
    }

    private void Go(TurnContext turn, IntakeState state, string step, string? prefix = null)
    {
        if (step != IntakeSteps.Contact)
        {
            RemoveContactKeyboard(turn, state, "Okay.");
        }

        turn.Session.Step = step;
        Ask(turn, state, step, prefix);
    }

    /// <summary>Asks the step's question (again), after an optional plain-text line (an error, a note).</summary>
    private static void Ask(TurnContext turn, IntakeState state, string step, string? prefix = null, bool offerRestart = false)
    {
        var lead = string.IsNullOrEmpty(prefix) ? "" : Html.Escape(prefix) + "\n\n";
        switch (step)
        {
            case IntakeSteps.Summary:
                turn.Replies.Text(lead + IntakeTexts.Summary(state.ToAnswers(turn.User?.Username)), IntakeTexts.SummaryKeyboard());
                return;
            case IntakeSteps.Edit:
                turn.Replies.Text(lead + IntakeTexts.EditQuestion, IntakeTexts.EditKeyboard());
                return;
        }

        var (html, keyboard) = IntakeTexts.Question(step, state, offerRestart);
        turn.Replies.Text(lead + html, keyboard);
        if (step == IntakeSteps.Contact && !state.ContactKeyboardShown)
        {
            // Telegram's contact button lives in a reply keyboard, which cannot share a message with inline buttons.
            turn.Replies.Text(IntakeTexts.ContactKeyboardPrompt, new OutboundPayload { RequestContactButton = IntakeTexts.ShareContactButton });
            state.ContactKeyboardShown = true;
        }
    }

    private static void RemoveContactKeyboard(TurnContext turn, IntakeState state, string text)
    {
        if (!state.ContactKeyboardShown)
        {
            return;
        }

        turn.Replies.Text(Html.Escape(text), new OutboundPayload { RemoveReplyKeyboard = true });
        state.ContactKeyboardShown = false;
    }

    /// <summary>Takes the buttons off the message that was just answered, so it cannot be pressed again.</summary>
    private static void RemoveButtons(TurnContext turn)
    {
        if (CallbackMessageId(turn) is { } messageId)
        {
            turn.Replies.Enqueue(OutboundMethods.EditMessageReplyMarkup, new OutboundPayload { TargetMessageId = messageId });
        }
    }

    /// <summary>The message under the pressed button (null for a text update, or a message too old to edit).</summary>
    private static int? CallbackMessageId(TurnContext turn) =>
        turn.Update.CallbackQuery?.Message is { } message && message.Date > DateTime.UnixEpoch ? message.Id : null;

    private static string CurrentStep(TurnContext turn) =>
        IntakeSteps.IsKnown(turn.Session.Step) ? turn.Session.Step! : IntakeSteps.Type;

    /// <summary>
    /// A conversation opened by this update (the previous one went quiet for longer than
    /// <c>Telegram:ConversationInactivityTimeout</c>) takes over an intake left unfinished in the chat's previous
    /// conversation, so the user continues where they stopped.
    /// </summary>
    private async Task<bool> TryResumePreviousAsync(TurnContext turn)
    {
        if (turn.Conversation is not { } conversation || turn.Db.Entry(conversation).State != EntityState.Added)
        {
            return false;
        }

        var since = time.GetUtcNow() - options.CurrentValue.ResumeWithin;
        var previous = await turn.Db.Conversations.AsNoTracking()
            .Where(c => c.ChatId == conversation.ChatId && c.Status == ConversationStatus.Closed && c.LastMessageAt >= since)
            .OrderByDescending(c => c.LastMessageAt)
            .Select(c => c.SessionJson)
            .FirstOrDefaultAsync(turn.CancellationToken);
        var old = ConversationSession.FromJson(previous);
        if (!IsActive(old) || !IntakeSteps.IsKnown(old.Step))
        {
            return false;
        }

        turn.Session.Flow = old.Flow;
        turn.Session.Step = old.Step;
        turn.Session.Data = new Dictionary<string, string>(old.Data);
        LogResumedFromPrevious(logger, old.Step!);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project intake started")]
    private static partial void LogStarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project intake cancelled")]
    private static partial void LogCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project intake carried over from the previous conversation at step {Step}")]
    private static partial void LogResumedFromPrevious(ILogger logger, string step);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Intake button for step {ButtonStep} ignored; the current step is {CurrentStep}")]
    private static partial void LogStaleButton(ILogger logger, string buttonStep, string? currentStep);
}
