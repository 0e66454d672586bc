using Bunit;
using Dev2Prod.Admin.Components.Pages.Try;
using Dev2Prod.Admin.Features.Try;
using Dev2Prod.Core.Telegram.Outbox;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dev2Prod.UnitTests.DashboardTools;

/// <summary>A message of the simulated chat: its text, its buttons, and what a press sends.</summary>
public sealed class ChatMessageViewTests : BunitContext
{
    public ChatMessageViewTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void ABotMessageShowsItsFormattedTextAndItsButtonsInRows()
    {
        var item = new ChatItem
        {
            MessageId = 7,
            FromBot = true,
            Text = "<b>Welcome</b>, &lt;friend&gt;",
            IsHtml = true,
            Buttons = [[OutboundButton.Callback("Pricing", "faq:t:pricing"), OutboundButton.Callback("Start a project", "intake:start")],
                       [OutboundButton.Link("Book a call", "https://dev2production.tech/book")]],
        };

        var view = Render<ChatMessageView>(p => p.Add(c => c.Item, item));

        Assert.Equal("bot", view.Find(".sim-msg").GetAttribute("data-from"));
        Assert.Equal("Welcome", view.Find(".tg-text b").TextContent);
        Assert.Contains("<friend>", view.Find(".tg-text").TextContent, StringComparison.Ordinal);
        var rows = view.FindAll(".sim-buttons-row");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Pricing", "Start a project"], rows[0].QuerySelectorAll(".sim-button").Select(b => b.TextContent.Trim()));
        Assert.Equal("https://dev2production.tech/book", view.Find("a.sim-link").GetAttribute("href"));
    }

    [Fact]
    public void PressingACallbackButtonRaisesItsData()
    {
        string? pressed = null;
        var item = new ChatItem { MessageId = 3, FromBot = true, Text = "Pick one", Buttons = [[OutboundButton.Callback("👍 Yes", "faq:y:nda")]] };

        var view = Render<ChatMessageView>(p => p.Add(c => c.Item, item).Add(c => c.OnPress, (string data) => pressed = data));
        view.Find("button.sim-button").Click();

        Assert.Equal("faq:y:nda", pressed);
    }

    [Fact]
    public void ACustomersTextIsNeverInterpretedAsMarkup()
    {
        var item = new ChatItem { MessageId = 1, FromBot = false, Text = "<b>hi</b><script>x</script>", IsHtml = false };

        var view = Render<ChatMessageView>(p => p.Add(c => c.Item, item));

        Assert.Equal("user", view.Find(".sim-msg").GetAttribute("data-from"));
        Assert.Empty(view.FindAll(".sim-msg b"));
        Assert.Empty(view.FindAll("script"));
        Assert.Equal("<b>hi</b><script>x</script>", view.Find(".tg-text").TextContent);
    }

    [Fact]
    public void ALinkButtonWithAnUnsafeSchemeIsNotRendered()
    {
        var item = new ChatItem { MessageId = 2, FromBot = true, Text = "x", Buttons = [[OutboundButton.Link("Evil", "javascript:alert(1)")]] };

        var view = Render<ChatMessageView>(p => p.Add(c => c.Item, item));

        Assert.Empty(view.FindAll("a.sim-link"));
    }
}
