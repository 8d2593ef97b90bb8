using System.Text.Json;
using ChatOpsBot.BotFramework.Bot;
using ChatOpsBot.BotFramework.Schema;
using ChatOpsBot.BotFramework.Testing;
using ChatOpsBot.Teams;

namespace ChatOpsBot.Tests.Teams;

public sealed class TeamsMessageTextTests
{
    private static readonly TestAdapter s_adapter = new();

    [Fact]
    public void Plain_text_is_kept_with_its_lines_and_trimmed()
    {
        Of("  headers\r\nReceived: from a\r\n\tby b  ").ShouldBe("headers\nReceived: from a\n\tby b");
    }

    [Fact]
    public void Paragraphs_and_line_breaks_become_lines_and_entities_are_decoded()
    {
        Of("<p>headers</p><p>From: &quot;Payroll&quot; &lt;pay@x.example&gt;</p><p>Subject: a<br>b&nbsp;c</p>")
            .ShouldBe("headers\nFrom: \"Payroll\" <pay@x.example>\nSubject: a\nb c");
    }

    [Fact]
    public void Leading_spaces_of_folded_header_lines_survive()
    {
        Of("<p>Received: from a</p><p>&nbsp;&nbsp;by b</p>").ShouldBe("Received: from a\n  by b");
    }

    [Fact]
    public void Tags_are_dropped_not_interpreted_and_escaped_markup_stays_text()
    {
        Of("<p><strong>vip</strong> check <em>x</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>").ShouldBe("vip check x <script>alert(1)</script>");
    }

    [Fact]
    public void A_lone_angle_bracket_is_text()
    {
        Of("<p>a < b</p>").ShouldBe("a < b");
        TeamsMessageText.FromHtml("x <y", []).ShouldBe("x <y");
    }

    [Fact]
    public void The_bots_mention_span_is_removed_from_html_and_other_mentions_keep_their_names()
    {
        Activity activity = s_adapter.MakeMessage(string.Empty);
        activity.Text = "<p><span itemtype=\"http://schema.skype.com/Mention\" itemscope=\"\" itemid=\"0\">ChatOpsBot</span>&nbsp;whoami "
            + "<span itemtype=\"http://schema.skype.com/Mention\" itemid=\"1\">Megan</span></p>";
        activity.Entities =
        [
            new Mention(new ChannelAccount(s_adapter.Conversation.Bot.Id!, "ChatOpsBot"), "<at>ChatOpsBot</at>").ToEntity(),
            new Mention(new ChannelAccount("29:megan", "Megan"), "<at>Megan</at>").ToEntity(),
        ];

        Read(activity).ShouldBe("whoami Megan");
    }

    [Fact]
    public void A_flattened_text_is_read_from_its_html_rendering_when_that_has_the_lines()
    {
        Activity activity = s_adapter.MakeMessage("headersReceived: from aSubject: b");
        activity.Attachments = [Html("<div><div>headers</div><div>Received: from a</div><div>Subject: b</div></div>")];

        Read(activity).ShouldBe("headers\nReceived: from a\nSubject: b");
    }

    [Fact]
    public void A_rendering_that_says_more_than_the_text_does_not_replace_it()
    {
        // A reply quoting an earlier message: the quote is in the HTML, the request in the text.
        Activity activity = s_adapter.MakeMessage("whoami");
        activity.Attachments = [Html("<blockquote><p>vip remove jane@contoso.example</p><p>please</p></blockquote><p>whoami</p>")];

        Read(activity).ShouldBe("whoami");
    }

    [Fact]
    public void A_single_line_html_rendering_does_not_replace_the_text()
    {
        // The documented personal-chat sample: rich text on one line; the plain text is what the user typed.
        Activity activity = s_adapter.MakeMessage("Hello Teams TestBot.Sending bold-italic rich text");
        activity.Attachments = [Html("<div><div>Hello Teams TestBot. Sending <strong>bold</strong>-<em>italic</em> rich text.</div>\n</div>")];

        Read(activity).ShouldBe("Hello Teams TestBot.Sending bold-italic rich text");
    }

    [Fact]
    public void Text_that_already_has_lines_ignores_the_rendering()
    {
        Activity activity = s_adapter.MakeMessage("line one\nline two");
        activity.Attachments = [Html("<p>something</p><p>else</p><p>entirely</p>")];

        Read(activity).ShouldBe("line one\nline two");
    }

    [Fact]
    public void Html_longer_than_the_limit_is_cut_not_parsed_without_bound()
    {
        string html = "<p>" + new string('a', TeamsMessageText.MaxHtmlChars + 10) + "</p>";

        TeamsMessageText.FromHtml(html, []).Length.ShouldBeLessThanOrEqualTo(TeamsMessageText.MaxHtmlChars);
    }

    [Theory]
    [InlineData("<at>")]
    [InlineData("<span itemtype=\"http://schema.skype.com/Mention\">")]
    [InlineData("<p")]
    public void Hostile_html_of_unclosed_tags_is_read_in_one_pass(string repeated)
    {
        // Each unclosed tag would send a naive reader to the end of the text: quadratic on 256 KB.
        string html = string.Concat(Enumerable.Repeat(repeated, TeamsMessageText.MaxHtmlChars / repeated.Length));

        string text = TeamsMessageText.FromHtml(html, ["ChatOpsBot"]);

        text.Length.ShouldBeLessThanOrEqualTo(TeamsMessageText.MaxHtmlChars);
    }

    private static string Of(string text)
    {
        Activity activity = s_adapter.MakeMessage(string.Empty);
        activity.Text = text;
        return Read(activity);
    }

    private static string Read(Activity activity) => TeamsMessageText.Of(new TurnContext(s_adapter, activity));

    private static Attachment Html(string html) => new() { ContentType = "text/html", Content = JsonSerializer.SerializeToElement(html) };
}
