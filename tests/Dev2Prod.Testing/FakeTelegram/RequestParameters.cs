using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>
/// Reads Bot API parameters the way Telegram does: a value may arrive as a JSON value, a query-string or form
/// field (always a string), or JSON text inside a form field, and means the same in every case.
/// </summary>
internal static class RequestParameters
{
    private const string AttachPrefix = "attach://";

    /// <summary>A file the bot uploaded in a multipart request.</summary>
    internal sealed record Upload(string Field, string FileName, string? ContentType, byte[] Content);

    /// <summary>Merges query string, form/multipart fields and a JSON body into one object.</summary>
    /// <exception cref="JsonException">The body claims to be JSON and is not a JSON object.</exception>
    public static async Task<(JsonObject Parameters, IReadOnlyList<Upload> Uploads)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new JsonObject();
        var uploads = new List<Upload>();

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            foreach (var (name, value) in form)
            {
                parameters[name] = value.ToString();
            }

            foreach (var file in form.Files)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                var content = buffer.ToArray();
                uploads.Add(new Upload(file.Name, file.FileName, file.ContentType, content));
                parameters[file.Name] = Describe(file.Name, file.FileName, content.Length);
            }

            // Telegram.Bot uploads as "document": "attach://0" plus a part named "0": the parameter gets the
            // upload's description so a test reads Parameters["document"]["file_name"] whichever way it was sent.
            foreach (var (name, value) in parameters.ToList())
            {
                if (value is JsonValue reference && reference.TryGetValue(out string? text)
                    && text.StartsWith(AttachPrefix, StringComparison.Ordinal)
                    && uploads.FirstOrDefault(u => u.Field == text[AttachPrefix.Length..]) is { } attached)
                {
                    parameters[name] = Describe(attached.Field, attached.FileName, attached.Content.Length);
                }
            }
        }
        else
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(cancellationToken);
            if (!string.IsNullOrWhiteSpace(body))
            {
                parameters = JsonNode.Parse(body) as JsonObject
                    ?? throw new JsonException("The request body is not a JSON object.");
            }
        }

        // Telegram accepts parameters in the query string too; the body wins when both carry one.
        foreach (var (name, value) in request.Query)
        {
            if (!parameters.ContainsKey(name))
            {
                parameters[name] = value.ToString();
            }
        }

        return (parameters, uploads);
    }

    /// <summary>The upload a file parameter stands for: a part of that name, or the part it refers to.</summary>
    public static Upload? FindUpload(JsonObject parameters, IReadOnlyList<Upload> uploads, string field) =>
        uploads.FirstOrDefault(u => u.Field == field)
        ?? (parameters[field] is JsonObject described && GetString(described, "field") is { } part
            ? uploads.FirstOrDefault(u => u.Field == part)
            : null);

    private static JsonObject Describe(string field, string fileName, int length) => new()
    {
        ["field"] = field,
        ["file_name"] = fileName,
        ["length"] = length,
    };

    public static string? GetString(JsonObject parameters, string name) =>
        parameters[name] switch
        {
            null => null,
            JsonValue value when value.TryGetValue(out string? text) => text,
            var node => node.ToJsonString(),
        };

    public static long? GetLong(JsonObject parameters, string name) =>
        parameters[name] switch
        {
            JsonValue value when value.TryGetValue(out long number) => number,
            JsonValue value when value.TryGetValue(out string? text)
                && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

    public static bool GetBool(JsonObject parameters, string name) =>
        parameters[name] switch
        {
            JsonValue value when value.TryGetValue(out bool flag) => flag,
            JsonValue value when value.TryGetValue(out string? text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };

    public static JsonNode? GetJson(JsonObject parameters, string name)
    {
        switch (parameters[name])
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue(out string? text):
                var trimmed = text.TrimStart();
                if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                {
                    try
                    {
                        return JsonNode.Parse(text);
                    }
                    catch (JsonException)
                    {
                        return value.DeepClone();
                    }
                }

                return value.DeepClone();
            case var node:
                return node.DeepClone();
        }
    }
}
