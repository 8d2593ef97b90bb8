using System.Text.Json;
using ChatOpsBot.Cards.BlockKit;
using ChatOpsBot.Cards.Builders;
using ChatOpsBot.Cards.Model;
using ChatOpsBot.Cards.Tests.Support;

namespace ChatOpsBot.Cards.Tests.BlockKit;

public class BlockKitRendererTests
{
    [Fact]
    public void TheFirstHeadingIsTheHeaderAndTheFallbackTextTheNotification()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")));

        SlackHeaderBlock header = message.Blocks[0].ShouldBeOfType<SlackHeaderBlock>();
        header.Text.Type.ShouldBe(SlackText.PlainType);
        header.Text.Text.ShouldBe("MALICIOUS · score 100/100");
        header.Text.Emoji.ShouldBe(false);
        message.Text.ShouldBe("MALICIOUS (score 100/100): Action required: your password expires today");
        message.Blocks.OfType<SlackHeaderBlock>().Count().ShouldBe(1);
    }

    [Fact]
    public void EveryMrkdwnObjectIsVerbatim()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")));

        using JsonDocument json = SlackShape.Parse(message);
        string text = json.RootElement.GetRawText();
        int mrkdwn = CountOf(text, "\"type\":\"mrkdwn\"");
        mrkdwn.ShouldBeGreaterThan(5);
        CountOf(text, "\"verbatim\":true").ShouldBe(mrkdwn);
    }

    [Fact]
    public void FactsBecomeBoldTitledFieldsUnderTheirHeading()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")));

        SlackSectionBlock facts = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text == "*Message*");
        facts.Fields.ShouldNotBeNull();
        facts.Fields.Select(f => f.Text).ShouldContain("*Reply-To*\nhelpdesk[.]verify@freemail[.]example");
        facts.Fields.Select(f => f.Text).ShouldContain("*Return-Path*\n&lt;bounce@mailer[.]bulk-sender[.]example&gt;");
    }

    [Fact]
    public void FindingsReadAsSeverityThenTextInOneSection()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")));

        SlackSectionBlock why = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*Why*", StringComparison.Ordinal) == true);
        string[] lines = why.Text!.Text.Split('\n');
        lines[1].ShouldBe("*HIGH* DMARC failed for micros0ft-secure[.]example: the From domain did not authenticate this message.");
        lines.Count(l => l.StartsWith("*MEDIUM* ", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public void MonospaceTextIsCodeAndItsDescriptionStaysWithIt()
    {
        BlockKitMessage message = BlockKitRenderer.Render(EmailVerdictCard.Build(TestInputs.Email("phish-forwarded.eml")));

        SlackSectionBlock urls = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*URLs", StringComparison.Ordinal) == true);
        urls.Text!.Text.ShouldContain("`hxxps://login[.]micros0ft-secure[.]example/owa/verify?user=dana[.]lee%40contoso[.]example`\nhtml_href · shown as \"hxxps://login[.]microsoftonline[.]com/common/verify\"");
    }

    [Fact]
    public void HiddenRawHeadersBecomeACutPreviewAndTheToggleButtonIsDropped()
    {
        AdaptiveCard card = EmailVerdictCard.Build(TestInputs.Email("hostile.eml"));
        card.Actions.OfType<AdaptiveToggleVisibilityAction>().ShouldNotBeEmpty();

        BlockKitMessage message = BlockKitRenderer.Render(card);

        SlackSectionBlock preview = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*Raw headers", StringComparison.Ordinal) == true);
        string code = preview.Text!.Text[preview.Text.Text.IndexOf("```", StringComparison.Ordinal)..];
        code.ShouldStartWith("```Received: from relay40[.]evil-cdn[.]example");
        code.ShouldEndWith("```");
        code.ShouldContain("… [truncated ");
        code.Length.ShouldBeLessThanOrEqualTo(BlockKitLimits.HiddenDetailsChars + 6);
        message.Blocks.OfType<SlackActionsBlock>().ShouldBeEmpty();
    }

    [Fact]
    public void TheChartShowsItsFallbackTableAndTilesBecomeFields()
    {
        BlockKitMessage message = BlockKitRenderer.Render(MetricsCard.Build(TestInputs.Metrics(), 14));

        string json = BlockKitJson.Serialize(message);
        json.ShouldNotContain("Chart");
        SlackSectionBlock perDay = message.Blocks.OfType<SlackSectionBlock>().Single(s => s.Text?.Text.StartsWith("*Threats per day*", StringComparison.Ordinal) == true);
        perDay.Text!.Text.Split('\n')[1].ShouldBe("*Day* · *Emails* · *Threats*");
        SlackSectionBlock summary = message.Blocks.OfType<SlackSectionBlock>().First(s => s.Fields is not null);
        summary.Fields![0].Text.ShouldBe("*16*\nURL threats blocked");
    }

    [Fact]
    public void ATwoColumnTableIsFieldsRowByRow()
    {
        AdaptiveCard card = new()
        {
            Body =
            [
                new AdaptiveTable
                {
                    Columns = [new AdaptiveTableColumnDefinition(), new AdaptiveTableColumnDefinition()],
                    Rows =
                    [
                        Row(("User", true), ("Threats", true)),
                        Row(("ceo@contoso.example", false), ("13", false)),
                    ],
                },
            ],
        };

        SlackSectionBlock section = BlockKitRenderer.Render(card).Blocks.ShouldHaveSingleItem().ShouldBeOfType<SlackSectionBlock>();

        section.Fields!.Select(f => f.Text).ShouldBe(["*User*", "*Threats*", "ceo@contoso.example", "13"]);
    }

    [Fact]
    public void SubmitButtonsCarryTheVerbAsActionIdAndTheSubmitDataAsValue()
    {
        AdaptiveCard card = ConfirmationCard.Build(new PendingAction("block sender evil@x.example", "Block sender", "Blocks all mail.", "pa-9"));

        SlackActionsBlock actions = BlockKitRenderer.Render(card).Blocks[^1].ShouldBeOfType<SlackActionsBlock>();

        actions.Elements.Count.ShouldBe(2);
        SlackButton confirm = actions.Elements[0];
        confirm.ActionId.ShouldBe("confirm");
        confirm.Style.ShouldBe(SlackButton.PrimaryStyle);
        confirm.Text.Text.ShouldBe("Block sender");
        IReadOnlyDictionary<string, string> data = card.Actions.OfType<AdaptiveSubmitAction>().First().Data!;
        JsonSerializer.Deserialize<Dictionary<string, string>>(confirm.Value!).ShouldBe(data);
        actions.Elements[1].ActionId.ShouldBe("cancel");
        actions.Elements[1].Style.ShouldBeNull();
    }

    [Fact]
    public void ButtonsWithTheSameVerbGetDistinctActionIdsAndMoreThan25SpillIntoASecondBlock()
    {
        AdaptiveCard card = new()
        {
            Body = [new AdaptiveTextBlock("Pick one")],
            Actions = [.. Enumerable.Range(0, 30).Select(i => (AdaptiveAction)CardActions.Submit($"Remove {i}", "vip remove", [new("address", $"a{i}@x.example")]))],
        };

        BlockKitMessage message = BlockKitRenderer.Render(card);

        List<SlackActionsBlock> blocks = [.. message.Blocks.OfType<SlackActionsBlock>()];
        blocks.Select(b => b.Elements.Count).ShouldBe([25, 5]);
        blocks[0].Elements.Select(b => b.ActionId).Distinct().Count().ShouldBe(25);
        blocks[0].Elements[0].ActionId.ShouldBe("vip remove");
        blocks[0].Elements[1].ActionId.ShouldBe("vip remove:2");
        JsonSerializer.Deserialize<Dictionary<string, string>>(blocks[0].Elements[1].Value!)!["verb"].ShouldBe("vip remove");
        SlackShape.LimitProblems(message).ShouldBeEmpty();
    }

    [Fact]
    public void AButtonWhoseDataIsTooLongForSlackIsLeftOutWithANote()
    {
        AdaptiveCard card = new()
        {
            Body = [new AdaptiveTextBlock("Confirm")],
            Actions = [CardActions.Submit("Big", "confirm", [new("action", new string('x', 2100))]), CardActions.Submit("Small", "cancel")],
        };

        BlockKitMessage message = BlockKitRenderer.Render(card);

        message.Blocks.OfType<SlackActionsBlock>().Single().Elements.Select(b => b.ActionId).ShouldBe(["cancel"]);
        message.Blocks.OfType<SlackContextBlock>().Single().Elements[0].Text.ShouldContain("“Big” is left out");
    }

    [Fact]
    public void ALongButtonTitleIsCutToSlacksLabelLimit()
    {
        AdaptiveCard card = new() { Actions = [CardActions.Submit(new string('B', 120), "help")] };

        SlackButton button = BlockKitRenderer.Render(card).Blocks.OfType<SlackActionsBlock>().Single().Elements[0];

        button.Text.Text.Length.ShouldBeLessThanOrEqualTo(BlockKitLimits.ButtonLabelChars);
        button.Text.Text.ShouldContain("… [truncated");
    }

    [Fact]
    public void ImagesAppearOnlyWhereTheCardHasAWebUrl()
    {
        AdaptiveCard card = new()
        {
            Body =
            [
                new AdaptiveImage { Url = "https://chatops.example/logo.png", AltText = "Logo <b>" },
                new AdaptiveImage { Url = "data:image/png;base64,AAAA" },
                new AdaptiveImage { Url = "logo.png" },
            ],
        };

        SlackImageBlock image = BlockKitRenderer.Render(card).Blocks.ShouldHaveSingleItem().ShouldBeOfType<SlackImageBlock>();

        image.ImageUrl.ShouldBe("https://chatops.example/logo.png");
        image.AltText.ShouldBe("Logo ‹b›");
    }

    [Fact]
    public void AHugeCardKeepsItsButtonsAndSaysHowMuchWasLeftOut()
    {
        AdaptiveCard card = new()
        {
            FallbackText = "Huge",
            Body =
            [
                CardParts.Heading("Huge card"),
                .. Enumerable.Range(0, 120).Select(i => (AdaptiveElement)new AdaptiveTextBlock(new string('w', 400)) { Separator = true }),
            ],
            Actions = [CardActions.Submit("Help", "help")],
        };

        BlockKitMessage message = BlockKitRenderer.Render(card);

        SlackShape.LimitProblems(message).ShouldBeEmpty();
        message.OmittedBlocks.ShouldBeGreaterThan(0);
        message.Blocks[^1].ShouldBeOfType<SlackActionsBlock>();
        SlackContextBlock note = message.Blocks[^2].ShouldBeOfType<SlackContextBlock>();
        note.Elements[0].Text.ShouldBe($"…and {message.OmittedBlocks} more parts not shown: this card is larger than a Slack message can hold.");
        int shownText = message.Blocks.OfType<SlackSectionBlock>().Count();
        (shownText + message.OmittedBlocks).ShouldBe(120);
    }

    [Fact]
    public void ManyShortBlocksStopAtFiftyBlocks()
    {
        AdaptiveCard card = new()
        {
            Body = [.. Enumerable.Range(0, 200).Select(i => (AdaptiveElement)new AdaptiveTextBlock($"line {i}") { Separator = true })],
        };

        BlockKitMessage message = BlockKitRenderer.Render(card);

        message.Blocks.Count.ShouldBe(BlockKitLimits.MessageBlocks);
        message.CountTextChars().ShouldBeLessThan(BlockKitLimits.MessageTextChars);
        message.Blocks[^1].ShouldBeOfType<SlackContextBlock>().Elements[0].Text.ShouldStartWith("…and ");
        message.Blocks[^2].ShouldNotBeOfType<SlackDividerBlock>();
    }

    [Fact]
    public void AVeryLongTextBlockIsCutInsideItsSection()
    {
        AdaptiveCard card = new() { Body = [new AdaptiveTextBlock(CardText.Escape(new string('q', 9000), 9000))] };

        SlackSectionBlock section = BlockKitRenderer.Render(card).Blocks.ShouldHaveSingleItem().ShouldBeOfType<SlackSectionBlock>();

        section.Text!.Text.Length.ShouldBeLessThanOrEqualTo(BlockKitLimits.SectionTextChars);
        section.Text.Text.ShouldEndWith(CardText.TruncationMarker(9000 - section.Text.Text.IndexOf('…', StringComparison.Ordinal)));
    }

    [Fact]
    public void ALongHeadingIsCutToTheHeaderLimit()
    {
        AdaptiveCard card = new() { Body = [CardParts.Heading(CardText.Escape(new string('h', 400), 400))] };

        SlackHeaderBlock header = BlockKitRenderer.Render(card).Blocks.ShouldHaveSingleItem().ShouldBeOfType<SlackHeaderBlock>();

        header.Text.Text.Length.ShouldBeLessThanOrEqualTo(BlockKitLimits.HeaderChars);
        header.Text.Text.ShouldContain("… [truncated");
    }

    [Fact]
    public void AnEmptyCardStillMakesAValidMessage()
    {
        BlockKitMessage message = BlockKitRenderer.Render(new AdaptiveCard());

        message.Text.ShouldBe("ChatOpsBot");
        SlackShape.LimitProblems(message).ShouldBeEmpty();
    }

    [Fact]
    public void RenderedJsonRoundTrips()
    {
        BlockKitMessage message = BlockKitRenderer.Render(MetricsCard.Build(TestInputs.Metrics(), 14));

        string json = BlockKitJson.Serialize(message);

        BlockKitJson.Serialize(BlockKitJson.Deserialize(json)).ShouldBe(json);
    }

    private static AdaptiveTableRow Row(params (string Text, bool Bold)[] cells) => new()
    {
        Cells = [.. cells.Select(c => new AdaptiveTableCell { Items = [new AdaptiveTextBlock(c.Text) { Weight = c.Bold ? AdaptiveTextWeight.Bolder : AdaptiveTextWeight.Default }] })],
    };

    private static int CountOf(string text, string value)
    {
        int count = 0;
        for (int at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
