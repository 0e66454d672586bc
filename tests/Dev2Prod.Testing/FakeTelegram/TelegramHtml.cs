using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Dev2Prod.Testing.FakeTelegram;

/// <summary>
/// Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style): turns marked-up text into the plain
/// text and entities Telegram stores, or the reason Telegram gives for refusing it. Error texts follow Telegram's
/// own ("Unsupported start tag \"div\" at byte offset 0"), byte offsets counted in UTF-8 like Telegram.
/// </summary>
/// <remarks>
/// Stricter than Telegram's parser in one respect, on purpose: Telegram keeps a stray <c>&amp;</c> or <c>&gt;</c>
/// as text, while its documentation requires every <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> outside tags to be
/// written as an entity. Unescaped user text passes in production only until it contains a <c>&lt;</c>, so the
/// fake refuses all three and the missing escape shows up in the first test instead.
/// </remarks>
internal static class TelegramHtml
{
    /// <summary>The outcome: <see cref="Error"/> is null when the text parsed.</summary>
    internal sealed record Result(string? Error, string Text, JsonArray Entities);

    private sealed record OpenTag(string Name, int Offset, string? Argument);

    private sealed record Entity(string Type, int Offset, int Length, string? Argument);

    private static readonly HashSet<string> SupportedTags =
    [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    ];

    public static Result Parse(string html)
    {
        var text = new StringBuilder(html.Length);
        var open = new List<OpenTag>();
        var entities = new List<Entity>();
        var i = 0;

        while (i < html.Length)
        {
            var c = html[i];
            if (c == '&')
            {
                if (!TryDecodeEntity(html, ref i, text))
                {
                    return Fail($"Unescaped \"&\" at byte offset {ByteOffset(html, i)}: write it as \"&amp;\"");
                }

                continue;
            }

            if (c == '>')
            {
                return Fail($"Unescaped \">\" at byte offset {ByteOffset(html, i)}: write it as \"&gt;\"");
            }

            if (c != '<')
            {
                text.Append(c);
                i++;
                continue;
            }

            var begin = i;
            i++;
            var error = i < html.Length && html[i] == '/'
                ? ReadEndTag(html, begin, ref i, open, entities, text.Length)
                : ReadStartTag(html, begin, ref i, open, text.Length);
            if (error is not null)
            {
                return Fail(error);
            }
        }

        if (open.Count > 0)
        {
            return Fail($"Can't find end tag corresponding to start tag \"{open[^1].Name}\"");
        }

        return Trim(text.ToString(), entities);
    }

    private static string? ReadStartTag(string html, int begin, ref int i, List<OpenTag> open, int textOffset)
    {
        var nameStart = i;
        while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
        {
            i++;
        }

        if (i >= html.Length)
        {
            return $"Unclosed start tag at byte offset {ByteOffset(html, begin)}";
        }

        var name = html[nameStart..i].ToLowerInvariant();
        if (!SupportedTags.Contains(name))
        {
            return $"Unsupported start tag \"{name}\" at byte offset {ByteOffset(html, begin)}";
        }

        string? argument = null;
        while (true)
        {
            SkipWhiteSpace(html, ref i);
            if (i >= html.Length)
            {
                return $"Unclosed start tag at byte offset {ByteOffset(html, begin)}";
            }

            if (html[i] == '>')
            {
                i++;
                break;
            }

            var attributeStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && !"=>/\"'".Contains(html[i]))
            {
                i++;
            }

            var attribute = html[attributeStart..i].ToLowerInvariant();
            if (attribute.Length == 0)
            {
                return $"Empty attribute name in the tag \"{name}\" at byte offset {ByteOffset(html, begin)}";
            }

            SkipWhiteSpace(html, ref i);
            if (i >= html.Length)
            {
                return $"Unclosed start tag \"{name}\" at byte offset {ByteOffset(html, begin)}";
            }

            if (html[i] != '=')
            {
                if (name == "blockquote" && attribute == "expandable")
                {
                    argument = "expandable";
                }

                continue;
            }

            i++;
            SkipWhiteSpace(html, ref i);
            if (i >= html.Length)
            {
                return $"Unclosed start tag \"{name}\" at byte offset {ByteOffset(html, begin)}";
            }

            string value;
            if (html[i] is '"' or '\'')
            {
                var quote = html[i++];
                var quoted = new StringBuilder();
                while (i < html.Length && html[i] != quote)
                {
                    // Telegram decodes entities in attribute values and keeps a stray '&' (URLs with query strings).
                    if (html[i] == '&' && TryDecodeEntity(html, ref i, quoted))
                    {
                        continue;
                    }

                    quoted.Append(html[i++]);
                }

                if (i >= html.Length)
                {
                    return $"Unclosed start tag at byte offset {ByteOffset(html, begin)}";
                }

                i++;
                value = quoted.ToString();
            }
            else
            {
                var tokenStart = i;
                while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] is '.' or '-'))
                {
                    i++;
                }

                if (i >= html.Length)
                {
                    return $"Unclosed start tag at byte offset {ByteOffset(html, begin)}";
                }

                if (!char.IsWhiteSpace(html[i]) && html[i] != '>')
                {
                    return $"Unexpected end of name token at byte offset {ByteOffset(html, tokenStart)}";
                }

                value = html[tokenStart..i].ToLowerInvariant();
            }

            argument = (name, attribute) switch
            {
                ("a", "href") => value,
                ("code", "class") when value.StartsWith("language-", StringComparison.Ordinal) => value["language-".Length..],
                ("span", "class") => value,
                ("tg-emoji", "emoji-id") => value,
                _ => argument,
            };
        }

        if (name == "span" && argument != "tg-spoiler")
        {
            return $"Tag \"span\" must have class \"tg-spoiler\" at byte offset {ByteOffset(html, begin)}";
        }

        if (name == "tg-emoji" && !long.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return "Invalid custom emoji identifier specified";
        }

        open.Add(new OpenTag(name, textOffset, argument));
        return null;
    }

    private static string? ReadEndTag(string html, int begin, ref int i, List<OpenTag> open, List<Entity> entities, int textOffset)
    {
        i++; // past '/'
        var nameStart = i;
        while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
        {
            i++;
        }

        var name = html[nameStart..i].ToLowerInvariant();
        SkipWhiteSpace(html, ref i);
        if (i >= html.Length || html[i] != '>')
        {
            return $"Unclosed end tag at byte offset {ByteOffset(html, begin)}";
        }

        i++;
        if (open.Count == 0)
        {
            return $"Unexpected end tag at byte offset {ByteOffset(html, begin)}";
        }

        var tag = open[^1];
        if (name.Length > 0 && name != tag.Name)
        {
            return $"Unmatched end tag at byte offset {ByteOffset(html, begin)}, expected \"</{tag.Name}>\", found \"</{name}>\"";
        }

        open.RemoveAt(open.Count - 1);
        var length = textOffset - tag.Offset;
        if (length > 0)
        {
            AddEntity(entities, tag, length);
        }

        return null;
    }

    private static void AddEntity(List<Entity> entities, OpenTag tag, int length)
    {
        var type = tag.Name switch
        {
            "b" or "strong" => "bold",
            "i" or "em" => "italic",
            "u" or "ins" => "underline",
            "s" or "strike" or "del" => "strikethrough",
            "span" or "tg-spoiler" => "spoiler",
            "code" => "code",
            "pre" => "pre",
            "blockquote" => tag.Argument == "expandable" ? "expandable_blockquote" : "blockquote",
            "tg-emoji" => "custom_emoji",
            "a" => "text_link",
            _ => throw new InvalidOperationException($"Unhandled tag {tag.Name}"),
        };

        if (type == "text_link" && !Uri.TryCreate(tag.Argument, UriKind.Absolute, out _))
        {
            // Telegram drops a link it cannot use and keeps the text.
            return;
        }

        // <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        if (type == "pre" && entities.Count > 0 && entities[^1] is { Type: "code" } code
            && code.Offset == tag.Offset && code.Length == length)
        {
            entities[^1] = new Entity("pre", tag.Offset, length, code.Argument);
            return;
        }

        var argument = type is "text_link" or "custom_emoji" or "code" ? tag.Argument : null;
        entities.Add(new Entity(type, tag.Offset, length, argument));
    }

    /// <summary>Telegram strips leading and trailing white space and shortens the entities with it.</summary>
    private static Result Trim(string text, List<Entity> entities)
    {
        var trimmed = text.Trim();
        var removedAtStart = text.Length - text.TrimStart().Length;
        var json = new JsonArray();
        foreach (var entity in entities.OrderBy(e => e.Offset).ThenByDescending(e => e.Length))
        {
            var start = Math.Max(entity.Offset - removedAtStart, 0);
            var end = Math.Min(entity.Offset + entity.Length - removedAtStart, trimmed.Length);
            if (end <= start)
            {
                continue;
            }

            var node = new JsonObject
            {
                ["offset"] = start,
                ["length"] = end - start,
                ["type"] = entity.Type,
            };
            switch (entity.Type)
            {
                case "text_link":
                    node["url"] = entity.Argument;
                    break;
                case "custom_emoji":
                    node["custom_emoji_id"] = entity.Argument;
                    break;
                case "pre" when entity.Argument is not null:
                    node["language"] = entity.Argument;
                    break;
                default:
                    break;
            }

            json.Add(node);
        }

        return new Result(null, trimmed, json);
    }

    /// <summary>Decodes &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric entities; false (position unchanged) for anything else.</summary>
    private static bool TryDecodeEntity(string html, ref int i, StringBuilder output)
    {
        var semicolon = html.IndexOf(';', i + 1);
        if (semicolon < 0 || semicolon - i > 12)
        {
            return false;
        }

        var name = html[(i + 1)..semicolon];
        string? decoded = name switch
        {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "quot" => "\"",
            _ when name.StartsWith("#x", StringComparison.OrdinalIgnoreCase) => CodePoint(name[2..], NumberStyles.AllowHexSpecifier),
            _ when name.StartsWith('#') => CodePoint(name[1..], NumberStyles.None),
            _ => null,
        };
        if (decoded is null)
        {
            return false;
        }

        output.Append(decoded);
        i = semicolon + 1;
        return true;
    }

    private static string? CodePoint(string digits, NumberStyles style) =>
        digits.Length > 0
        && int.TryParse(digits, style, CultureInfo.InvariantCulture, out var value)
        && value is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF)
            ? char.ConvertFromUtf32(value)
            : null;

    private static void SkipWhiteSpace(string html, ref int i)
    {
        while (i < html.Length && char.IsWhiteSpace(html[i]))
        {
            i++;
        }
    }

    private static int ByteOffset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));

    private static Result Fail(string reason) => new(reason, "", []);
}
