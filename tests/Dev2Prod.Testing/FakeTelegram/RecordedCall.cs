using System.Text.Json.Nodes;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>
/// One request the bot made to the fake Bot API. <paramref name="Parameters"/> holds what the bot sent, whatever
/// the encoding: JSON values as sent, form and multipart fields as strings (JSON-valued fields such as
/// <c>reply_markup</c> stay JSON text there, as on the wire), and an uploaded file as
/// <c>{"field": ..., "file_name": ..., "length": ...}</c> under its multipart field name and under the parameter
/// that refers to it (<c>"document": "attach://0"</c> becomes the description of part <c>0</c>).
/// </summary>
public sealed record RecordedCall(string Method, JsonObject Parameters, DateTimeOffset At)
{
    /// <summary>The parameter as text (strings as they are, numbers and JSON as their JSON text), or null when absent.</summary>
    public string? Text(string name) => RequestParameters.GetString(Parameters, name);

    /// <summary>The parameter as a number (JSON number or numeric string), or null when absent or not a number.</summary>
    public long? Number(string name) => RequestParameters.GetLong(Parameters, name);

    /// <summary>
    /// The parameter as JSON: objects and arrays as sent, and JSON text in a form field (multipart requests
    /// send <c>reply_markup</c> that way) parsed. Null when absent.
    /// </summary>
    public JsonNode? Json(string name) => RequestParameters.GetJson(Parameters, name);

    /// <summary>The target chat (<c>chat_id</c>), or null when absent or a <c>@username</c>.</summary>
    public long? ChatId => Number("chat_id");
}
