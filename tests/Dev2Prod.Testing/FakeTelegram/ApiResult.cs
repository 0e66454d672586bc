using System.Text.Json.Nodes;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>An answer in the Bot API's envelope, with the HTTP status Telegram uses for it.</summary>
internal readonly record struct ApiResult(int StatusCode, JsonObject Body)
{
    public static ApiResult Ok(JsonNode? result) => new(200, new JsonObject { ["ok"] = true, ["result"] = result });

    public static ApiResult Error(int errorCode, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject
        {
            ["ok"] = false,
            ["error_code"] = errorCode,
            ["description"] = description,
        };
        if (parameters is not null)
        {
            body["parameters"] = parameters;
        }

        return new ApiResult(errorCode, body);
    }

    public static ApiResult BadRequest(string reason) => Error(400, $"Bad Request: {reason}");
}
