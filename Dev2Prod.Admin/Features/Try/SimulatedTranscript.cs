using System.Globalization;
using Dev2Prod.Core.Telegram.Outbox;
using Dev2Prod.Core.Telegram.Simulator;
using StackExchange.Redis;

namespace Dev2Prod.Admin.Features.Try;

/// <summary>One message of the simulated chat as the page shows it.</summary>
public sealed class ChatItem
{
    public required int MessageId { get; init; }
    public required bool FromBot { get; init; }
    public string Text { get; set; } = "";

    /// <summary>True when <see cref="Text"/> is Telegram HTML (rendered through the safe converter).</summary>
    public bool IsHtml { get; set; }
    public IReadOnlyList<IReadOnlyList<OutboundButton>> Buttons { get; set; } = [];

    /// <summary>A reply keyboard asking for the customer's phone number.</summary>
    public string? ContactButton { get; set; }
    public string? Attachment { get; set; }
    public bool Edited { get; set; }

    /// <summary>For the customer's button presses: the label pressed.</summary>
    public bool IsButtonPress { get; init; }
}

/// <summary>
/// Folds a simulated chat's stream entries into what a Telegram client would show: messages in order, edits
/// applied in place, the typing indicator while the bot works, and the last callback answer as a toast.
/// </summary>
public sealed class SimulatedTranscript
{
    /// <summary>Telegram shows "typing" for up to 5 s or until the next message.</summary>
    public static readonly TimeSpan TypingDuration = TimeSpan.FromSeconds(5);

    private readonly List<ChatItem> _items = [];

    public IReadOnlyList<ChatItem> Items => _items;

    /// <summary>The stream id of the last entry applied: the cursor for the next read.</summary>
    public string Cursor { get; private set; } = "0-0";

    public DateTimeOffset? TypingUntil { get; private set; }

    /// <summary>The last non-empty callback answer not yet shown.</summary>
    public string? PendingToast { get; set; }

    /// <summary>The newest reply keyboard asking for the contact, if the last bot message has one.</summary>
    public string? ContactRequest => _items.LastOrDefault(i => i.FromBot)?.ContactButton;

    public bool IsTyping(DateTimeOffset now) => TypingUntil is { } until && until > now;

    public void Clear()
    {
        _items.Clear();
        TypingUntil = null;
        PendingToast = null;
    }

    public void Apply(IEnumerable<StreamEntry> entries)
    {
        foreach (var entry in entries)
        {
            Apply(entry);
            Cursor = entry.Id.ToString();
        }
    }

    private void Apply(StreamEntry entry)
    {
        string? Field(string name) => entry[name].IsNull ? null : entry[name].ToString();
        var kind = Field(SimulatorFields.Kind);
        _ = int.TryParse(Field(SimulatorFields.MessageId), NumberStyles.Integer, CultureInfo.InvariantCulture, out var messageId);
        _ = long.TryParse(Field(SimulatorFields.At), NumberStyles.Integer, CultureInfo.InvariantCulture, out var atMs);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(atMs);

        switch (kind)
        {
            case SimulatorEventKinds.UserMessage:
                _items.Add(new ChatItem { MessageId = messageId, FromBot = false, Text = Field(SimulatorFields.Text) ?? "" });
                break;

            case SimulatorEventKinds.UserCallback:
                var data = Field(SimulatorFields.Text) ?? "";
                var label = _items.FirstOrDefault(i => i.MessageId == messageId && i.FromBot)?.Buttons
                    .SelectMany(row => row).FirstOrDefault(b => b.CallbackData == data)?.Text ?? data;
                _items.Add(new ChatItem { MessageId = messageId, FromBot = false, Text = label, IsButtonPress = true });
                break;

            case SimulatorEventKinds.BotMessage:
                TypingUntil = null;
                _items.Add(new ChatItem
                {
                    MessageId = messageId,
                    FromBot = true,
                    Text = Field(SimulatorFields.Text) ?? "",
                    IsHtml = Field(SimulatorFields.ParseMode) == "HTML",
                    Buttons = SimulatorStream.ButtonsFromJson(Field(SimulatorFields.Buttons)),
                    ContactButton = Field(SimulatorFields.ContactButton),
                    Attachment = Field(SimulatorFields.Attachment),
                });
                break;

            case SimulatorEventKinds.Edit when Find(messageId) is { } edited:
                edited.Text = Field(SimulatorFields.Text) ?? "";
                edited.IsHtml = Field(SimulatorFields.ParseMode) == "HTML";
                edited.Buttons = SimulatorStream.ButtonsFromJson(Field(SimulatorFields.Buttons));
                edited.Edited = true;
                break;

            case SimulatorEventKinds.EditMarkup when Find(messageId) is { } edited:
                edited.Buttons = SimulatorStream.ButtonsFromJson(Field(SimulatorFields.Buttons));
                break;

            case SimulatorEventKinds.Typing:
                TypingUntil = at + TypingDuration;
                break;

            case SimulatorEventKinds.CallbackAnswer when Field(SimulatorFields.Text) is { Length: > 0 } toast:
                PendingToast = toast;
                break;

            default:
                break; // unknown or stale entries (an edit of a message no longer in the capped stream) change nothing
        }
    }

    private ChatItem? Find(int messageId) => _items.LastOrDefault(i => i.FromBot && i.MessageId == messageId);
}
