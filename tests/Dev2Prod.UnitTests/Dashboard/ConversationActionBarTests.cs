using Bunit;
using Dev2Prod.Admin.Components.Pages.Conversations;
using Dev2Prod.Admin.Features.Conversations;
using Dev2Prod.Core.Domain;
using Dev2Prod.Core.Security;

namespace Dev2Prod.UnitTests.Dashboard;

/// <summary>Which conversation actions each role sees: only permitted actions are rendered at all.</summary>
public sealed class ConversationActionBarTests : DashboardComponentContext
{
    private const int MyAgent = 7;
    private const int OtherAgent = 8;

    [Fact]
    public void ViewerSeesNoActionsAndNoExplanation()
    {
        var permissions = ConversationPermissions.For(Role.Viewer, MyAgent, deskAvailable: true, ConversationStatus.WaitingForAgent, null);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Empty(cut.FindAll("#conversation-actions"));
        Assert.Empty(cut.FindAll("button"));
        Assert.Empty(cut.FindAll("#actions-unavailable"));
    }

    [Fact]
    public void AgentMayClaimAWaitingConversationAndNoteButNotReplyOrClose()
    {
        var permissions = ConversationPermissions.For(Role.Agent, MyAgent, true, ConversationStatus.WaitingForAgent, null);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Single(cut.FindAll("#action-claim"));
        Assert.Single(cut.FindAll("#action-note"));
        Assert.Empty(cut.FindAll("#action-reply"));
        Assert.Empty(cut.FindAll("#action-close"));
    }

    [Fact]
    public void AgentHoldingTheConversationMayReplyAndClose()
    {
        var permissions = ConversationPermissions.For(Role.Agent, MyAgent, true, ConversationStatus.Claimed, MyAgent);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Empty(cut.FindAll("#action-claim"));
        Assert.Single(cut.FindAll("#action-reply"));
        Assert.Single(cut.FindAll("#action-close"));
    }

    [Fact]
    public void AgentCannotCloseOrReplyToAConversationSomeoneElseHolds()
    {
        var permissions = ConversationPermissions.For(Role.Agent, MyAgent, true, ConversationStatus.Claimed, OtherAgent);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Empty(cut.FindAll("#action-close"));
        Assert.Empty(cut.FindAll("#action-reply"));
        Assert.Single(cut.FindAll("#action-note"));
    }

    [Theory]
    [InlineData(Role.Supervisor)]
    [InlineData(Role.Admin)]
    public void SupervisorsMayCloseAConversationSomeoneElseHoldsButNotReplyInTheirName(Role role)
    {
        var permissions = ConversationPermissions.For(role, MyAgent, true, ConversationStatus.Claimed, OtherAgent);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Single(cut.FindAll("#action-close"));
        Assert.Empty(cut.FindAll("#action-reply"));
    }

    [Fact]
    public void AccountWithoutALinkedAgentIsToldWhy()
    {
        var permissions = ConversationPermissions.For(Role.Supervisor, null, true, ConversationStatus.WaitingForAgent, null);

        var cut = Render<ConversationActionBar>(p => p.Add(c => c.Permissions, permissions));

        Assert.Empty(cut.FindAll("button"));
        Assert.Contains("not linked to an agent", cut.Find("#actions-unavailable").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ClosedConversationOffersNothing()
    {
        var permissions = ConversationPermissions.For(Role.Admin, MyAgent, true, ConversationStatus.Closed, MyAgent);

        Assert.False(permissions.Any);
    }

    [Fact]
    public void WithoutAnAgentDeskNoActionIsOffered()
    {
        var permissions = ConversationPermissions.For(Role.Admin, MyAgent, deskAvailable: false, ConversationStatus.WaitingForAgent, null);

        Assert.False(permissions.Any);
        Assert.NotNull(permissions.Why);
    }

    [Fact]
    public async Task ReplyPassesTheTypedTextAndEmptiesTheBoxWhenAccepted()
    {
        string? sent = null;
        var permissions = ConversationPermissions.For(Role.Agent, MyAgent, true, ConversationStatus.Claimed, MyAgent);
        var cut = Render<ConversationActionBar>(p => p
            .Add(c => c.Permissions, permissions)
            .Add(c => c.OnReply, text =>
            {
                sent = text;
                return Task.FromResult(true);
            }));

        Assert.True(cut.Find("#action-reply").HasAttribute("disabled"));
        await cut.Find("textarea").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Hello from support" });
        await cut.Find("#action-reply").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        Assert.Equal("Hello from support", sent);
        // The box was emptied, so sending again is disabled until something new is typed.
        Assert.True(cut.Find("#action-reply").HasAttribute("disabled"));
    }
}
