using Bunit;
using Dev2Prod.Admin.Components.Pages.Conversations;
using Dev2Prod.Admin.Features.Conversations;
using Dev2Prod.Core.Domain;
using MudBlazor;

namespace Dev2Prod.UnitTests.Dashboard;

public sealed class ConversationFiltersTests : DashboardComponentContext
{
    private readonly List<ConversationFilter> _emitted = [];

    private IRenderedComponent<ConversationFilters> RenderFilters(ConversationFilter? filter = null) =>
        Render<ConversationFilters>(p => p
            .Add(c => c.Filter, filter ?? new ConversationFilter())
            .Add(c => c.Agents, new[] { new Agent { Id = 3, DisplayName = "Dana" } })
            .Add(c => c.FilterChanged, f => _emitted.Add(f)));

    private static MudSelect<T> Select<T>(IRenderedComponent<ConversationFilters> cut, string id) =>
        cut.FindComponents<MudSelect<T>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("id"), id)).Instance;

    [Fact]
    public async Task ChoosingAStatusKeepsTheOtherFilters()
    {
        var cut = RenderFilters(new ConversationFilter { Search = "invoice", HasLead = true });

        await cut.InvokeAsync(() => Select<string>(cut, "filter-status").ValueChanged.InvokeAsync(nameof(ConversationStatus.WaitingForAgent)));

        var filter = Assert.Single(_emitted);
        Assert.Equal(ConversationStatus.WaitingForAgent, filter.Status);
        Assert.Equal("invoice", filter.Search);
        Assert.True(filter.HasLead);
    }

    [Fact]
    public async Task AnyClearsAYesNoFilter()
    {
        var cut = RenderFilters(new ConversationFilter { Escalated = true });

        await cut.InvokeAsync(() => Select<string>(cut, "filter-escalated").ValueChanged.InvokeAsync(""));

        Assert.Null(Assert.Single(_emitted).Escalated);
    }

    [Fact]
    public async Task AgentAnyMeansNoAgentFilter()
    {
        var cut = RenderFilters();

        await cut.InvokeAsync(() => Select<int>(cut, "filter-agent").ValueChanged.InvokeAsync(3));
        await cut.InvokeAsync(() => Select<int>(cut, "filter-agent").ValueChanged.InvokeAsync(0));

        Assert.Equal(3, _emitted[0].AgentId);
        Assert.Null(_emitted[1].AgentId);
    }

    [Fact]
    public async Task BackwardsDateRangeIsSwapped()
    {
        var cut = RenderFilters(new ConversationFilter { From = new DateOnly(2026, 11, 20) });

        var pickers = cut.FindComponents<MudDatePicker>();
        await cut.InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 1)));

        var filter = Assert.Single(_emitted);
        Assert.Equal(new DateOnly(2026, 11, 1), filter.From);
        Assert.Equal(new DateOnly(2026, 11, 20), filter.To);
    }

    [Fact]
    public async Task ClearIsOfferedOnlyWhenSomethingIsFilteredAndResetsEverything()
    {
        Assert.Empty(RenderFilters().FindAll("#filter-clear"));
        var cut = RenderFilters(new ConversationFilter { Status = ConversationStatus.Closed, AgentId = 3 });

        await cut.Find("#filter-clear").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        Assert.True(Assert.Single(_emitted).IsEmpty);
    }
}
