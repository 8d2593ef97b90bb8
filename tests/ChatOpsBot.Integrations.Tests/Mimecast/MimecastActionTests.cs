using System.Text.Json.Nodes;
using ChatOpsBot.Integrations.Mimecast;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.Integrations.Tests.Support;

namespace ChatOpsBot.Integrations.Tests.Mimecast;

public sealed class MimecastActionTests : IAsyncLifetime
{
    private FakeMimecastServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeMimecastServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task DecodeSendsBatchesOfAtMost25AndKeepsTheCallersOrder()
    {
        var rewritten = new List<string>();
        for (int i = 0; i < 30; i++)
        {
            string url = $"https://url.uk.m.mimecastprotect.com/s/token{i}?domain=example{i}.org";
            _fake.RewrittenUrls[url] = $"https://example{i}.org/page";
            rewritten.Add(url);
        }

        rewritten.Reverse();
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        IReadOnlyList<MimecastDecodedUrl> decoded = await host.Mimecast.DecodeUrlsAsync(rewritten, CancellationToken.None);

        decoded.Select(d => d.RewrittenUrl).ShouldBe(rewritten);
        decoded.ShouldAllBe(d => d.Success && d.DecodedUrl == _fake.RewrittenUrls[d.RewrittenUrl]);
        IReadOnlyList<FakeRequest> calls = _fake.RequestsTo("/api/ttp/url/decode-url");
        calls.Select(c => JsonNode.Parse(c.Body)!["data"]!.AsArray().Count).ShouldBe([25, 5]);
    }

    [Fact]
    public async Task DecodeFailureOfOneUrlLeavesTheOthersDecoded()
    {
        _fake.RewrittenUrls["https://protect-xx.mimecast.com/s/good"] = "https://good.example/";
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        IReadOnlyList<MimecastDecodedUrl> decoded = await host.Mimecast.DecodeUrlsAsync(
            ["https://protect-xx.mimecast.com/s/unknown", "https://protect-xx.mimecast.com/s/good"], CancellationToken.None);

        decoded[0].Success.ShouldBeFalse();
        decoded[0].Error.ShouldBe("err_xdk_url_decode_failed (The URL could not be decoded)");
        decoded[1].DecodedUrl.ShouldBe("https://good.example/");
    }

    [Fact]
    public async Task DecodeOfTheRecordedSampleAnswer()
    {
        _fake.EnqueueFault("/api/ttp/url/decode-url", FakeFault.Status(200, FakeSamples.Mimecast("decode_url.json")));
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        IReadOnlyList<MimecastDecodedUrl> decoded = await host.Mimecast.DecodeUrlsAsync(
            ["https://protect-xx.mimecast.com/s/abc"], CancellationToken.None);

        decoded.ShouldHaveSingleItem().DecodedUrl.ShouldBe("https://protect-xx.mimecast.com/");
    }

    [Fact]
    public async Task DecodeAnswerThatCannotBeMatchedToTheRequestIsAnErrorNotAGuess()
    {
        _fake.EnqueueFault(
            "/api/ttp/url/decode-url",
            FakeFault.Status(200, """{"meta":{"status":200},"data":[{"url":"https://a.example/","success":true}],"fail":[]}"""));
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(() => host.Mimecast.DecodeUrlsAsync(
            ["https://protect-xx.mimecast.com/s/1", "https://protect-xx.mimecast.com/s/2"], CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.MalformedResponse);
    }

    [Fact]
    public async Task BlockUrlCreatesABlockingManagedUrl()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastBlockUrlResult result = await host.Mimecast.BlockUrlAsync(
            "https://evil.example/login?x=1", MimecastUrlMatchType.Explicit, "Blocked by analyst\nvia chat", CancellationToken.None);

        result.Outcome.ShouldBe(MimecastWriteOutcome.Created);
        MimecastManagedUrl entry = result.Entry.ShouldNotBeNull();
        entry.Action.ShouldBe("block");
        entry.Domain.ShouldBe("evil.example");
        entry.Port.ShouldBe(-1);
        JsonNode sent = JsonNode.Parse(_fake.RequestsTo("/api/ttp/url/create-managed-url").Single().Body)!["data"]![0]!;
        sent["action"]!.GetValue<string>().ShouldBe("block");
        sent["matchType"]!.GetValue<string>().ShouldBe("explicit");
        sent["comment"]!.GetValue<string>().ShouldBe("Blocked by analyst via chat");
    }

    [Fact]
    public async Task BlockingAUrlMimecastAlreadyManagesIsReportedAsSuch()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);
        await host.Mimecast.BlockUrlAsync("https://evil.example/", MimecastUrlMatchType.Domain, null, CancellationToken.None);

        MimecastBlockUrlResult again = await host.Mimecast.BlockUrlAsync("https://evil.example/", MimecastUrlMatchType.Domain, null, CancellationToken.None);

        again.Outcome.ShouldBe(MimecastWriteOutcome.AlreadyExists);
        again.Entry.ShouldBeNull();
        again.MimecastMessage.ShouldBe("The managed URL already exists; to update it, delete and recreate");
    }

    [Theory]
    [InlineData("https://evil.example/#fragment")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("")]
    public async Task BlockUrlRefusesWhatMimecastWouldNotAcceptWithoutSending(string url)
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        await Should.ThrowAsync<ArgumentException>(
            () => host.Mimecast.BlockUrlAsync(url, MimecastUrlMatchType.Explicit, null, CancellationToken.None));

        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task BlockSenderReturnsTheManagedSenderEntry()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastManagedSender entry = await host.Mimecast.PermitOrBlockSenderAsync(
            MimecastSenderAction.Block, "attacker@evil.example", "victim@corp.example", CancellationToken.None);

        entry.Type.ShouldBe("Block");
        entry.Sender.ShouldBe("attacker@evil.example");
        entry.To.ShouldBe("victim@corp.example");
        entry.Id.ShouldStartWith("MTOKEN:");
        JsonNode sent = JsonNode.Parse(_fake.RequestsTo("/api/managedsender/permit-or-block-sender").Single().Body)!["data"]![0]!;
        sent["action"]!.GetValue<string>().ShouldBe("block");
    }

    [Fact]
    public async Task MimecastsValidationFailureOnASenderIsAFailureWithItsCodeAndField()
    {
        _fake.EnqueueFault("/api/managedsender/permit-or-block-sender", FakeFault.Status(200, FakeSamples.Mimecast("permit_or_block_sender_bad_email.json")));
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(() => host.Mimecast.PermitOrBlockSenderAsync(
            MimecastSenderAction.Block, "odd@address", "victim@corp.example", CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Failure);
        error.MimecastCode.ShouldBe("err_validation_invalid_email_address");
        error.Message.ShouldContain("Email address is not valid; field sender");
    }

    [Fact]
    public async Task BlockedSendersGroupMembershipIsAddedOnceAndThenReportedAsExisting()
    {
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastGroupMembershipResult first = await host.Mimecast.AddToBlockedSendersGroupAsync("attacker@evil.example", "phish 2026-11-02", CancellationToken.None);
        MimecastGroupMembershipResult second = await host.Mimecast.AddToBlockedSendersGroupAsync("attacker@evil.example", null, CancellationToken.None);
        MimecastGroupMembershipResult domain = await host.Mimecast.AddToBlockedSendersGroupAsync("evil.example", null, CancellationToken.None);

        first.Outcome.ShouldBe(MimecastWriteOutcome.Created);
        first.Group.Description.ShouldBe("Blocked Senders");
        first.Member.ShouldNotBeNull().EmailAddress.ShouldBe("attacker@evil.example");
        second.Outcome.ShouldBe(MimecastWriteOutcome.AlreadyExists);
        domain.Member.ShouldNotBeNull().Domain.ShouldBe("evil.example");
        JsonNode sent = JsonNode.Parse(_fake.RequestsTo("/api/directory/add-group-member")[0].Body)!["data"]![0]!;
        sent["id"]!.GetValue<string>().ShouldBe(first.Group.Id);
        sent["notes"]!.GetValue<string>().ShouldBe("phish 2026-11-02");
        JsonNode.Parse(_fake.RequestsTo("/api/directory/find-groups")[0].Body)!["data"]![0]!["source"]!.GetValue<string>().ShouldBe("cloud");
    }

    [Fact]
    public async Task MissingBlockedSendersGroupIsNotFoundAndNothingIsAdded()
    {
        _fake.Groups.RemoveAll(g => g["description"]!.GetValue<string>() == "Blocked Senders");
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.AddToBlockedSendersGroupAsync("attacker@evil.example", null, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.NotFound);
        error.Message.ShouldContain("Mimecast:BlockedSendersGroup");
        _fake.RequestsTo("/api/directory/add-group-member").ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoGroupsWithTheBlockedSendersNameAreRefusedRatherThanGuessed()
    {
        JsonObject twin = _fake.Groups.First(g => g["description"]!.GetValue<string>() == "Blocked Senders").DeepClone().AsObject();
        twin["id"] = "second-blocked-senders-group";
        twin["description"] = "blocked senders";
        _fake.Groups.Add(twin);
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.AddToBlockedSendersGroupAsync("attacker@evil.example", null, CancellationToken.None));

        error.Message.ShouldContain("2 cloud profile groups");
        _fake.RequestsTo("/api/directory/add-group-member").ShouldBeEmpty();
    }

    [Fact]
    public async Task ForbiddenOnAGroupWriteNamesTheGroupsPermission()
    {
        _fake.EnqueueFault("/api/directory/add-group-member", FakeFault.MimecastForbidden());
        using IntegrationHost host = IntegrationHost.ForMimecast(_fake);

        MimecastApiException error = await Should.ThrowAsync<MimecastApiException>(
            () => host.Mimecast.AddToBlockedSendersGroupAsync("attacker@evil.example", null, CancellationToken.None));

        error.Kind.ShouldBe(MimecastErrorKind.Forbidden);
        error.Message.ShouldContain("'Directories | Groups | Edit'");
    }
}
