using Bunit;
using Dev2Prod.Admin.Components.Shared;

namespace Dev2Prod.UnitTests.DashboardTools;

/// <summary>Telegram HTML shown in the dashboard: only Telegram's formatting becomes markup, everything else is text.</summary>
public sealed class TelegramHtmlViewTests : BunitContext
{
    [Fact]
    public void TelegramFormattingBecomesTheMatchingElements()
    {
        var view = Render<TelegramHtmlView>(p => p.Add(c => c.Text,
            "<b>Bold <i>both</i></b> plain <a href=\"https://dev2production.tech/book\">book</a> <code>x</code> <tg-spoiler>secret</tg-spoiler>"));

        Assert.Equal("both", view.Find("b > i").TextContent);
        var link = view.Find("a");
        Assert.Equal("https://dev2production.tech/book", link.GetAttribute("href"));
        Assert.Equal("noopener noreferrer nofollow", link.GetAttribute("rel"));
        Assert.Equal("x", view.Find("code").TextContent);
        Assert.Equal("secret", view.Find("span.tg-spoiler").TextContent);
        Assert.Equal("Bold both plain book x secret", view.Find("div.tg-text").TextContent);
    }

    [Fact]
    public void EscapedMarkupIsShownAsTextNotInterpreted()
    {
        var view = Render<TelegramHtmlView>(p => p.Add(c => c.Text, "You wrote: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));

        Assert.Empty(view.FindAll("script"));
        Assert.Equal("You wrote: <script>alert(1)</script> & more", view.Find("div.tg-text").TextContent);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<b onclick=\"alert(1)\">x</b><div>y</div>")]
    [InlineData("<b>unclosed")]
    public void TextTelegramWouldRefuseIsShownVerbatimAsPlainText(string html)
    {
        var view = Render<TelegramHtmlView>(p => p.Add(c => c.Text, html));

        var root = view.Find("div.tg-text");
        Assert.Equal("true", root.GetAttribute("data-invalid"));
        Assert.Equal(html, root.TextContent);
        Assert.Equal(0, root.ChildElementCount);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<b>x</b>")]
    public void LinksWithUnsafeSchemesKeepTheirTextButLoseTheLink(string url)
    {
        var view = Render<TelegramHtmlView>(p => p.Add(c => c.Text, $"<a href=\"{url.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)}\">click</a>"));

        Assert.Empty(view.FindAll("a"));
        Assert.Contains("click", view.Find("div.tg-text").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextModeNeverParsesTags()
    {
        var view = Render<TelegramHtmlView>(p => p.Add(c => c.Text, "<b>not bold</b>").Add(c => c.IsHtml, false));

        Assert.Empty(view.FindAll("b"));
        Assert.Equal("<b>not bold</b>", view.Find("div.tg-text").TextContent);
    }
}
