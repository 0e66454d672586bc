namespace Dev2Prod.Core.Telegram.Simulator;

/// <summary>Kinds of entries in a simulated chat's stream (field <c>kind</c>).</summary>
public static class SimulatorEventKinds
{
    /// <summary>A message the test customer sent (echoed by the Api when it records the update).</summary>
    public const string UserMessage = "user";

    /// <summary>A button the test customer pressed.</summary>
    public const string UserCallback = "user-callback";

    /// <summary>A new bot message (sendMessage, sendDocument, sendPhoto).</summary>
    public const string BotMessage = "bot";

    /// <summary>editMessageText: replaces the text (and buttons) of <c>message_id</c>.</summary>
    public const string Edit = "edit";

    /// <summary>editMessageReplyMarkup: replaces only the buttons of <c>message_id</c>.</summary>
    public const string EditMarkup = "edit-markup";

    /// <summary>sendChatAction typing: "the bot is typing" for a few seconds.</summary>
    public const string Typing = "typing";

    /// <summary>answerCallbackQuery: a toast or alert text (may be empty).</summary>
    public const string CallbackAnswer = "callback-answer";
}

/// <summary>Field names of a stream entry.</summary>
public static class SimulatorFields
{
    public const string Kind = "kind";
    public const string MessageId = "message_id";
    public const string Text = "text";
    public const string ParseMode = "parse_mode";

    /// <summary>Inline keyboard as JSON (<c>OutboundButton</c> rows), or empty.</summary>
    public const string Buttons = "buttons";

    /// <summary>A reply keyboard's "share my phone number" label, if the message asks for the contact.</summary>
    public const string ContactButton = "contact_button";

    /// <summary>sendDocument / sendPhoto: what the message carries.</summary>
    public const string Attachment = "attachment";
    public const string At = "at";
}
