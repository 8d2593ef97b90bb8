using System.Collections;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Cards;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Integrations.Tests.Fakes;
using ChatOpsBot.TestSupport;
using ChatOpsBot.Tests.Alerts.Support;
using ChatOpsBot.Tests.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Tests.Alerts;

/// <summary>
/// Alert mail against a fake SMTP server on 127.0.0.1. System.Net.Mail validates the server certificate through the
/// process-wide <see cref="ServicePointManager.ServerCertificateValidationCallback"/>; these tests trust exactly the
/// fake's self-signed certificate there and restore the callback afterwards.
/// </summary>
public sealed class SmtpAlertChannelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private FakeSmtpServer _smtp = null!;
#pragma warning disable SYSLIB0014 // SmtpClient reads its certificate check from ServicePointManager.
    private RemoteCertificateValidationCallback? _previous;

    public Task InitializeAsync()
    {
        _smtp = FakeSmtpServer.Start();
        _previous = ServicePointManager.ServerCertificateValidationCallback;
        string thumbprint = _smtp.Certificate.Thumbprint;
        ServicePointManager.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == SslPolicyErrors.None || (certificate is not null && new X509Certificate2(certificate).Thumbprint == thumbprint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        ServicePointManager.ServerCertificateValidationCallback = _previous;
        await _smtp.DisposeAsync();
    }
#pragma warning restore SYSLIB0014

    [Fact]
    public async Task AlertMailGoesOverStartTlsWithTheCredentialsAndDefangedContent()
    {
        SmtpAlertChannel channel = Channel();

        AlertSendResult result = await channel.SendAsync(Message("soc@corp.example"), CancellationToken.None);

        result.Status.ShouldBe(AlertSendStatus.Sent, result.Error);
        ReceivedMail mail = _smtp.Messages.ShouldHaveSingleItem();
        mail.OverTls.ShouldBeTrue();
        mail.AuthenticatedUser.ShouldBe(FakeSmtpServer.Username);
        mail.MailFrom.ShouldBe("<alerts@corp.example>");
        mail.Recipients.ShouldBe(["<soc@corp.example>"]);
        mail.Data.ShouldContain("Message-ID: <chatopsbot.alt-");
        mail.Data.ShouldContain("X-ChatOpsBot-Alert-Id: alt-0123456789abcdef01234567");
        string body = DecodeBody(mail.Data);
        body.ShouldContain("hxxps://evil[.]example/login");
        body.ShouldNotContain("https://evil.example");
        body.ShouldContain("alice@corp[.]example");
        body.ShouldContain("T1598.003 Spearphishing Link");
    }

    [Fact]
    public async Task ATemporaryRefusalIsRetryableAndAPermanentOneIsNot()
    {
        SmtpAlertChannel channel = Channel();
        _smtp.ReplyToNextData("451 4.3.0 mailbox busy, try later");
        _smtp.ReplyToNextData("550 5.7.1 relaying denied");

        AlertSendResult busy = await channel.SendAsync(Message("soc@corp.example"), CancellationToken.None);
        AlertSendResult denied = await channel.SendAsync(Message("soc@corp.example"), CancellationToken.None);

        busy.Status.ShouldBe(AlertSendStatus.RetryableFailure);
        denied.Status.ShouldBe(AlertSendStatus.PermanentFailure);
        _smtp.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task AServerWithoutStartTlsGetsNeitherTheCredentialsNorTheMail()
    {
        await using FakeSmtpServer plain = FakeSmtpServer.Start(offerStartTls: false);
        SmtpAlertChannel channel = Channel(port: plain.Port);

        AlertSendResult result = await channel.SendAsync(Message("soc@corp.example"), CancellationToken.None);

        result.Status.ShouldNotBe(AlertSendStatus.Sent);
        result.Status.ShouldNotBe(AlertSendStatus.OutcomeUnknown);
        plain.DataCommands.ShouldBe(0);
        plain.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task TheOutboxDeliversMonitorAlertsToTheSeedsEmailRecipients()
    {
        string folder = TestDatabase.NewFolder();
        var time = new ManualTimeProvider(s_now);
        await using FakeMimecastServer mimecast = await FakeMimecastServer.StartAsync();
        mimecast.ClickLogs =
        [
            Clicks.Record(s_now.AddDays(-1), "https://evil.example/r", "alice@corp.example"),
            Clicks.Record(s_now.AddMinutes(-5), "https://evil.example/r", "erin@corp.example", scanResult: "malicious", action: "block"),
        ];
        try
        {
            await using AlertsHost host = await AlertsHost.StartAsync(folder, time, mimecast, channel: null, s =>
            {
                s.Remove("Alerts:Targets:0");
                foreach ((string key, string? value) in SeedEnvironmentAliases.Resolve(new ConfigurationBuilder().Build(), new Hashtable
                {
                    ["SMTP_SERVER"] = "127.0.0.1",
                    ["SMTP_USER"] = FakeSmtpServer.Username,
                    ["SMTP_PW"] = FakeSmtpServer.Password,
                    ["EMAIL_RECIPIENTS"] = "soc@corp.example  ciso@corp.example",
                }))
                {
                    s[key] = value;
                }

                s["Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            });

            await host.Monitor.RunOnceAsync(CancellationToken.None);
            DeliveryRunResult run = await host.Delivery.DeliverDueAsync(CancellationToken.None);

            run.Sent.ShouldBe(2);
            _smtp.Messages.Select(m => m.Recipients.Single()).Order().ShouldBe(["<ciso@corp.example>", "<soc@corp.example>"]);
            _smtp.Messages.ShouldAllBe(m => m.OverTls && m.AuthenticatedUser == FakeSmtpServer.Username);
        }
        finally
        {
            TestDatabase.DeleteFolder(folder);
        }
    }

    [Fact]
    public void SmtpStatusCodesAreClassifiedByWhetherTheMailCertainlyDidNotGo()
    {
        SmtpAlertChannel.Classify(System.Net.Mail.SmtpStatusCode.ServiceNotAvailable, "x").Status.ShouldBe(AlertSendStatus.RetryableFailure);
        SmtpAlertChannel.Classify(System.Net.Mail.SmtpStatusCode.MailboxBusy, "x").Status.ShouldBe(AlertSendStatus.RetryableFailure);
        SmtpAlertChannel.Classify(System.Net.Mail.SmtpStatusCode.GeneralFailure, "x").Status.ShouldBe(AlertSendStatus.RetryableFailure);
        SmtpAlertChannel.Classify(System.Net.Mail.SmtpStatusCode.MailboxUnavailable, "x").Status.ShouldBe(AlertSendStatus.PermanentFailure);
        SmtpAlertChannel.Classify(System.Net.Mail.SmtpStatusCode.MustIssueStartTlsFirst, "x").Error.ShouldNotBeNull().ShouldContain("Smtp:UseStartTls");
    }

    private SmtpAlertChannel Channel(int? port = null) => new(
        Options.Create(new SmtpOptions
        {
            Host = "127.0.0.1",
            Port = port ?? _smtp.Port,
            UseStartTls = true,
            Username = FakeSmtpServer.Username,
            Password = FakeSmtpServer.Password,
            Timeout = TimeSpan.FromSeconds(20),
        }),
        new ManualTimeProvider(s_now),
        NullLogger<SmtpAlertChannel>.Instance);

    internal static AlertRecord SampleAlert(string alertId = "alt-0123456789abcdef01234567") => new(
        alertId,
        AlertKinds.ClickedUrlMalicious,
        "url:https://evil.example/login",
        AlertStatuses.Open,
        new AlertPayload
        {
            Kind = AlertKinds.ClickedUrlMalicious,
            Headline = "A URL people clicked (Mimecast allowed it) is now malicious",
            DetectedBy = "Mimecast URL Protect: a new click on it was classified malicious",
            AlertType = "Default Inbound URL Protect Definition",
            TechniqueId = "T1598.003",
            TechniqueName = "Spearphishing Link",
            Url = "https://evil.example/login",
            Sender = "billing@evil.example",
            Recipient = "erin@corp.example",
            Subject = "Invoice *42* <at>everyone</at>",
            Exposed = [new ExposedClick(s_now.AddDays(-1), "alice@corp.example", "billing@evil.example", "Invoice 42", "https://evil.example/login", "<m1@evil.example>")],
            ExposedTotal = 1,
            FirstEventAt = s_now,
            LastEventAt = s_now,
        },
        s_now,
        s_now,
        s_now.AddDays(7),
        null,
        null,
        null,
        null,
        null,
        0,
        null);

    private static AlertMessage Message(string recipient)
    {
        AlertRecord alert = SampleAlert();
        return new AlertMessage(alert, AlertTarget.Mail(recipient), "chatopsbot." + alert.AlertId + ".0011223344556677", AlertCard.Build(alert, s_now), 1);
    }

    private static string DecodeBody(string data)
    {
        int split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string headers = data[..split];
        string body = data[(split + 4)..];
        if (headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase))
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", "", StringComparison.Ordinal)));
        }

        if (headers.Contains("quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            return QuotedPrintable(body);
        }

        return body;
    }

    private static string QuotedPrintable(string body)
    {
        string joined = body.Replace("=\r\n", "", StringComparison.Ordinal);
        var bytes = new List<byte>();
        for (int i = 0; i < joined.Length; i++)
        {
            if (joined[i] == '=' && i + 2 < joined.Length && Uri.IsHexDigit(joined[i + 1]) && Uri.IsHexDigit(joined[i + 2]))
            {
                bytes.Add(Convert.ToByte(joined.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(joined[i].ToString()));
            }
        }

        return System.Text.Encoding.UTF8.GetString([.. bytes]);
    }
}
