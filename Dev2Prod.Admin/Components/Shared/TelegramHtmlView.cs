using Dev2Prod.Core.Telegram;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Dev2Prod.Admin.Components.Shared;

/// <summary>
/// Shows a Telegram message as Telegram would: the HTML is parsed with Telegram's rules into plain text plus
/// entities, and only those entities become elements (b, i, u, s, code, pre, blockquote, spoiler, links with
/// http(s)/tg/mailto targets). Text is always added as text, never as markup, so whatever a customer or an
/// editor typed cannot inject anything. Text Telegram would refuse is shown as it is, as plain text.
/// </summary>
public sealed class TelegramHtmlView : ComponentBase
{
    private static readonly string[] SafeSchemes = ["http", "https", "tg", "mailto"];

    /// <summary>The message text.</summary>
    [Parameter] public string? Text { get; set; }

    /// <summary>True when <see cref="Text"/> uses Telegram's HTML parse mode; false: plain text.</summary>
    [Parameter] public bool IsHtml { get; set; } = true;

    [Parameter] public string? Class { get; set; }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", string.IsNullOrEmpty(Class) ? "tg-text" : $"tg-text {Class}");
        var text = Text ?? "";
        if (!IsHtml)
        {
            builder.AddContent(2, text);
        }
        else
        {
            var parsed = TelegramHtmlFormat.Parse(text);
            if (!parsed.IsValid)
            {
                builder.AddAttribute(3, "data-invalid", "true");
                builder.AddContent(4, text);
            }
            else
            {
                var index = 0;
                RenderRange(builder, parsed.Text, parsed.Entities, 0, parsed.Text.Length, ref index);
            }
        }

        builder.CloseElement();
    }

    private static void RenderRange(RenderTreeBuilder builder, string text, IReadOnlyList<TelegramTextEntity> entities, int from, int to, ref int index)
    {
        var position = from;
        while (index < entities.Count && entities[index].Offset < to)
        {
            var entity = entities[index++];
            var start = Math.Max(entity.Offset, position);
            var end = Math.Min(entity.End, to);
            if (start > position)
            {
                builder.AddContent(10, text[position..start]);
            }

            if (end <= start)
            {
                continue;
            }

            OpenEntity(builder, entity);
            RenderRange(builder, text, entities, start, end, ref index);
            builder.CloseElement();
            position = end;
        }

        if (to > position)
        {
            builder.AddContent(11, text[position..to]);
        }
    }

    private static void OpenEntity(RenderTreeBuilder builder, TelegramTextEntity entity)
    {
        switch (entity.Type)
        {
            case "text_link" when IsSafeLink(entity.Url):
                builder.OpenElement(20, "a");
                builder.AddAttribute(21, "href", entity.Url);
                builder.AddAttribute(22, "target", "_blank");
                builder.AddAttribute(23, "rel", "noopener noreferrer nofollow");
                break;
            case "spoiler":
                builder.OpenElement(24, "span");
                builder.AddAttribute(25, "class", "tg-spoiler");
                break;
            case "expandable_blockquote":
                builder.OpenElement(26, "blockquote");
                builder.AddAttribute(27, "class", "tg-expandable");
                break;
            default:
                builder.OpenElement(28, entity.Type switch
                {
                    "bold" => "b",
                    "italic" => "i",
                    "underline" => "u",
                    "strikethrough" => "s",
                    "code" => "code",
                    "pre" => "pre",
                    "blockquote" => "blockquote",
                    _ => "span",
                });
                break;
        }
    }

    internal static bool IsSafeLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && SafeSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
}
