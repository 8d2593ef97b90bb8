using System.Text.Json;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Tests.Model;

public class CardJsonTests
{
    private static string Json(AdaptiveElement element) =>
        CardJson.ToJsonElement(new AdaptiveCard { Body = [element] }).GetProperty("body")[0].GetRawText();

    private static string Json(AdaptiveAction action) =>
        CardJson.ToJsonElement(new AdaptiveCard { Actions = [action] }).GetProperty("actions")[0].GetRawText();

    [Fact]
    public void EmptyCardIsTypeAndVersionOnly() =>
        CardJson.Serialize(new AdaptiveCard()).ShouldBe("""{"type":"AdaptiveCard","version":"1.5"}""");

    [Fact]
    public void CardPropertiesAndTeamsWidth()
    {
        var card = new AdaptiveCard { FallbackText = "Verdict: malicious", Speak = "Malicious", Body = [new AdaptiveTextBlock("x")] }.ForTeams();

        CardJson.Serialize(card).ShouldBe(
            """{"type":"AdaptiveCard","version":"1.5","fallbackText":"Verdict: malicious","speak":"Malicious","body":[{"type":"TextBlock","text":"x"}],"msteams":{"width":"Full"}}""");
        AdaptiveCard.ContentType.ShouldBe("application/vnd.microsoft.card.adaptive");
    }

    [Fact]
    public void TextBlockWritesOnlyNonDefaults()
    {
        Json(new AdaptiveTextBlock("Malicious")
        {
            Wrap = true,
            Size = AdaptiveTextSize.ExtraLarge,
            Weight = AdaptiveTextWeight.Bolder,
            Color = AdaptiveTextColor.Attention,
            IsSubtle = true,
            MaxLines = 2,
            HorizontalAlignment = AdaptiveHorizontalAlignment.Center,
            Style = AdaptiveTextBlockStyle.Heading,
            FontType = AdaptiveFontType.Monospace,
            Spacing = AdaptiveSpacing.None,
            Separator = true,
            Id = "verdict",
            IsVisible = false,
        }).ShouldBe("""{"type":"TextBlock","id":"verdict","text":"Malicious","wrap":true,"size":"extraLarge","weight":"bolder","color":"attention","isSubtle":true,"fontType":"monospace","maxLines":2,"horizontalAlignment":"center","style":"heading","spacing":"none","separator":true,"isVisible":false}""");
        Json(new AdaptiveTextBlock("plain")).ShouldBe("""{"type":"TextBlock","text":"plain"}""");
    }

    [Fact]
    public void FactSet() =>
        Json(new AdaptiveFactSet { Facts = [new("From", "a"), new("To", "b")] })
            .ShouldBe("""{"type":"FactSet","facts":[{"title":"From","value":"a"},{"title":"To","value":"b"}]}""");

    [Fact]
    public void ColumnSetAndColumns() =>
        Json(new AdaptiveColumnSet
        {
            Columns =
            [
                new AdaptiveColumn { Width = "auto", Items = [new AdaptiveTextBlock("a")], VerticalContentAlignment = AdaptiveVerticalAlignment.Center },
                new AdaptiveColumn { Width = "stretch", Style = AdaptiveContainerStyle.Emphasis },
            ],
        }).ShouldBe("""{"type":"ColumnSet","columns":[{"type":"Column","width":"auto","items":[{"type":"TextBlock","text":"a"}],"verticalContentAlignment":"center"},{"type":"Column","width":"stretch","items":[],"style":"emphasis"}]}""");

    [Fact]
    public void ContainerWithStyleBleedAndVisibility() =>
        Json(new AdaptiveContainer { Id = "raw", IsVisible = false, Style = AdaptiveContainerStyle.Attention, Bleed = true, Items = [new AdaptiveTextBlock("x")] })
            .ShouldBe("""{"type":"Container","id":"raw","items":[{"type":"TextBlock","text":"x"}],"style":"attention","bleed":true,"isVisible":false}""");

    [Fact]
    public void Image() =>
        Json(new AdaptiveImage { Url = "https://example.org/logo.png", AltText = "logo", Size = AdaptiveImageSize.Small, Style = AdaptiveImageStyle.Person })
            .ShouldBe("""{"type":"Image","url":"https://example.org/logo.png","altText":"logo","size":"small","style":"person"}""");

    [Fact]
    public void Table() =>
        Json(new AdaptiveTable
        {
            Columns = [new(), new() { Width = 3 }],
            Rows = [new AdaptiveTableRow { Style = AdaptiveContainerStyle.Accent, Cells = [new AdaptiveTableCell { Items = [new AdaptiveTextBlock("Day")] }] }],
            ShowGridLines = false,
        }).ShouldBe("""{"type":"Table","columns":[{"width":1},{"width":3}],"rows":[{"type":"TableRow","cells":[{"type":"TableCell","items":[{"type":"TextBlock","text":"Day"}]}],"style":"accent"}],"showGridLines":false}""");

    [Fact]
    public void ActionSet() =>
        Json(new AdaptiveActionSet { Actions = [CardActions.Submit("Help", "help")] })
            .ShouldBe("""{"type":"ActionSet","actions":[{"type":"Action.Submit","title":"Help","data":{"verb":"help"}}]}""");

    [Fact]
    public void Inputs()
    {
        Json(new AdaptiveTextInput { Id = "name", Label = "Name", IsRequired = true, ErrorMessage = "Required", Placeholder = "Jane", MaxLength = 80, Style = AdaptiveTextInputStyle.Email })
            .ShouldBe("""{"type":"Input.Text","id":"name","label":"Name","placeholder":"Jane","maxLength":80,"style":"email","isRequired":true,"errorMessage":"Required"}""");
        Json(new AdaptiveChoiceSetInput { Id = "role", Choices = [new("Analyst", "analyst")], Style = AdaptiveChoiceInputStyle.Expanded, Value = "analyst" })
            .ShouldBe("""{"type":"Input.ChoiceSet","id":"role","choices":[{"title":"Analyst","value":"analyst"}],"style":"expanded","value":"analyst"}""");
        Json(new AdaptiveToggleInput { Id = "notify", Title = "Notify the reporter", ValueOn = "yes", ValueOff = "no" })
            .ShouldBe("""{"type":"Input.Toggle","id":"notify","title":"Notify the reporter","valueOn":"yes","valueOff":"no"}""");
        Json(new AdaptiveNumberInput { Id = "days", Min = 1, Max = 90, Value = 7 })
            .ShouldBe("""{"type":"Input.Number","id":"days","value":7,"min":1,"max":90}""");
        Json(new AdaptiveDateInput { Id = "from", Value = "2026-05-01" }).ShouldBe("""{"type":"Input.Date","id":"from","value":"2026-05-01"}""");
        Json(new AdaptiveTimeInput { Id = "at", Value = "09:30" }).ShouldBe("""{"type":"Input.Time","id":"at","value":"09:30"}""");
    }

    [Fact]
    public void Actions()
    {
        Json(CardActions.Submit("Check", "vip", [new("sub", "check"), new("name", "Jane Doe")], AdaptiveActionStyle.Positive))
            .ShouldBe("""{"type":"Action.Submit","title":"Check","data":{"verb":"vip","sub":"check","name":"Jane Doe"},"style":"positive"}""");
        Json(new AdaptiveExecuteAction { Title = "Run", Verb = "audit", Data = new Dictionary<string, string> { ["days"] = "7" } })
            .ShouldBe("""{"type":"Action.Execute","title":"Run","verb":"audit","data":{"days":"7"}}""");
        Json(new AdaptiveOpenUrlAction { Title = "Docs", Url = new Uri("https://learn.microsoft.com/") })
            .ShouldBe("""{"type":"Action.OpenUrl","title":"Docs","url":"https://learn.microsoft.com/"}""");
        Json(new AdaptiveShowCardAction { Title = "More", Card = new AdaptiveCard { Version = null, Body = [new AdaptiveTextBlock("x")] } })
            .ShouldBe("""{"type":"Action.ShowCard","title":"More","card":{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"x"}]}}""");
        Json(CardActions.Toggle("Raw headers", "raw"))
            .ShouldBe("""{"type":"Action.ToggleVisibility","title":"Raw headers","targetElements":[{"elementId":"raw"}]}""");
    }

    [Fact]
    public void ConfirmAndCancelCarryThePendingAction()
    {
        Json(CardActions.Confirm("Block sender", "block sender evil@example.com", "tok-1"))
            .ShouldBe("""{"type":"Action.Submit","title":"Block sender","data":{"verb":"confirm","action":"block sender evil@example.com","token":"tok-1"},"style":"positive"}""");
        Json(CardActions.Cancel("Cancel", "tok-1"))
            .ShouldBe("""{"type":"Action.Submit","title":"Cancel","data":{"verb":"cancel","token":"tok-1"}}""");
    }

    [Theory]
    [InlineData("verb")]
    [InlineData("msteams")]
    [InlineData("MsTeams")]
    public void ButtonArgumentsCannotOverrideTheVerbOrTeamsData(string key) =>
        Should.Throw<ArgumentException>(() => CardActions.Submit("x", "help", [new(key, "v")]));

    [Fact]
    public void ChartsWithFallback()
    {
        Json(new AdaptiveVerticalBarChart
        {
            Title = "Threats per day",
            XAxisTitle = "Day",
            YAxisTitle = "Threats",
            Data = [new("05-01", 3), new("05-02", 0.5)],
            Fallback = AdaptiveFallback.With(new AdaptiveTextBlock("05-01: 3")),
        }).ShouldBe("""{"type":"Chart.VerticalBar","title":"Threats per day","xAxisTitle":"Day","yAxisTitle":"Threats","data":[{"x":"05-01","y":3},{"x":"05-02","y":0.5}],"fallback":{"type":"TextBlock","text":"05-01: 3"}}""");
        Json(new AdaptiveLineChart { Data = [new AdaptiveLineChartSeries { Legend = "threats", Values = [new("05-01", 1)] }], Fallback = AdaptiveFallback.Drop })
            .ShouldBe("""{"type":"Chart.Line","data":[{"legend":"threats","values":[{"x":"05-01","y":1}]}],"fallback":"drop"}""");
    }

    [Fact]
    public void CardsRoundTripThroughJson()
    {
        var card = new AdaptiveCard
        {
            Body =
            [
                new AdaptiveContainer { Items = [new AdaptiveTextBlock("a") { Wrap = true }, new AdaptiveFactSet { Facts = [new("k", "v")] }] },
                new AdaptiveVerticalBarChart { Data = [new("x", 1)], Fallback = AdaptiveFallback.With(new AdaptiveTextBlock("x: 1")) },
                new AdaptiveImage { Url = "https://example.org/a.png" },
            ],
            Actions = [CardActions.Submit("Help", "help"), CardActions.Toggle("More", "a")],
        };
        string json = CardJson.Serialize(card);

        CardJson.Serialize(CardJson.Deserialize(json)).ShouldBe(json);
    }

    [Fact]
    public void UnknownElementTypeIsRefusedOnRead() =>
        Should.Throw<JsonException>(() => CardJson.Deserialize("""{"type":"AdaptiveCard","version":"1.5","body":[{"type":"Carousel"}]}"""));

    [Fact]
    public void ToJsonElementAndByteCountMatchTheSerialisedText()
    {
        var card = new AdaptiveCard { Body = [new AdaptiveTextBlock("Größe …")] };

        CardJson.ToJsonElement(card).GetProperty("body")[0].GetProperty("text").GetString().ShouldBe("Größe …");
        CardJson.Utf8ByteCount(card).ShouldBe(System.Text.Encoding.UTF8.GetByteCount(CardJson.Serialize(card)));
        CardJson.Serialize(card).ShouldContain("Größe …");
    }
}
