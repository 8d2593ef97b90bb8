using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Security.Authentication;
using System.Text;
using ChatOpsBot.Cards;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Alerts.Delivery;

/// <summary>
/// Alert mail through System.Net.Mail: STARTTLS before authenticating (<see cref="SmtpOptions.UseStartTls"/>, refused
/// off except on loopback), the seed's settings (<c>SMTP_SERVER</c>, <c>SMTP_USER</c>, <c>SMTP_PW</c>) as aliases. One
/// plain-text message per alert and recipient. Its Message-ID is the delivery's idempotency key, so if SMTP's own
/// ambiguity (a lost reply to the final dot, RFC 1047) ever causes a resend, the copies are recognisably one message.
/// Mail text is hostile: every line is made printable and defanged, so no link in an alert is clickable.
/// </summary>
internal sealed partial class SmtpAlertChannel(IOptions<SmtpOptions> options, TimeProvider timeProvider, ILogger<SmtpAlertChannel> logger) : IAlertChannel
{
    public string Scheme => AlertTarget.MailScheme;

    public async Task<AlertSendResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        SmtpOptions settings = options.Value;
        if (!settings.IsConfigured)
        {
            return AlertSendResult.Permanent("SMTP is not configured (Smtp:Host / SMTP_SERVER)");
        }

        using MailMessage mail = AlertMail.Build(message, settings.EffectiveFrom, timeProvider.GetUtcNow());
        using var client = new SmtpClient(settings.Host, settings.Port)
        {
            EnableSsl = settings.UseStartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
            Timeout = (int)settings.Timeout.TotalMilliseconds,
        };
        if (settings.Username.Length > 0)
        {
            client.Credentials = new NetworkCredential(settings.Username, settings.Password);
        }

        try
        {
            await client.SendMailAsync(mail, cancellationToken).ConfigureAwait(false);
            return AlertSendResult.Sent(mail.Headers["Message-ID"]);
        }
        catch (SmtpFailedRecipientException exception)
        {
            return Classify(exception.StatusCode, "the server refused the recipient");
        }
        catch (SmtpException exception)
        {
            LogSmtpFailure(message.Alert.AlertId, exception.StatusCode, exception.InnerException?.GetType().Name ?? "none");
            return Classify(exception.StatusCode, "SMTP failed");
        }
        catch (AuthenticationException)
        {
            // The TLS handshake failed (untrusted certificate, no common protocol): nothing was sent.
            return AlertSendResult.Retry("the STARTTLS handshake with the SMTP server failed");
        }
        catch (IOException)
        {
            return AlertSendResult.Retry("the connection to the SMTP server failed");
        }
    }

    /// <summary>SMTP has no way to ask a server whether it accepted a message earlier.</summary>
    public Task<AlertReconcileResult> ReconcileAsync(AlertDeliveryCheck check, CancellationToken cancellationToken) =>
        Task.FromResult(AlertReconcileResult.Unknown);

    /// <summary>
    /// 4xx replies and failures to connect or to start TLS mean the server did not take the message: retry. 5xx
    /// replies are permanent. <see cref="SmtpStatusCode.GeneralFailure"/> is what System.Net.Mail reports for a
    /// connection that could not be made or broke; it retries (at least once for SMTP's own reply-loss window).
    /// </summary>
    internal static AlertSendResult Classify(SmtpStatusCode code, string what)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{what} ({(int)code} {code})");
        int number = (int)code;
        if (code == SmtpStatusCode.GeneralFailure || number is >= 400 and < 500)
        {
            return AlertSendResult.Retry(text);
        }

        return code == SmtpStatusCode.MustIssueStartTlsFirst
            ? AlertSendResult.Permanent(text + "; the server requires STARTTLS: set Smtp:UseStartTls")
            : AlertSendResult.Permanent(text);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP send of alert {AlertId} failed with {StatusCode} (inner: {Inner})")]
    private partial void LogSmtpFailure(string alertId, SmtpStatusCode statusCode, string inner);
}

/// <summary>The plain-text alert mail.</summary>
internal static class AlertMail
{
    private const int LineChars = 400;

    public static MailMessage Build(AlertMessage message, string from, DateTimeOffset now)
    {
        AlertRecord alert = message.Alert;
        AlertPayload p = alert.Payload;
        var mail = new MailMessage(new MailAddress(from), new MailAddress(message.Target.Address))
        {
            Subject = CardText.Plain("[ChatOpsBot alert] " + p.Headline + (p.Url is null ? "" : ": " + p.Url), 200),
            Body = Body(alert, now),
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        mail.Headers.Add("Message-ID", $"<{message.IdempotencyKey}@chatopsbot.invalid>");
        mail.Headers.Add("X-ChatOpsBot-Alert-Id", alert.AlertId);
        return mail;
    }

    internal static string Body(AlertRecord alert, DateTimeOffset now)
    {
        AlertPayload p = alert.Payload;
        var text = new StringBuilder();
        Line(text, p.Headline);
        Line(text, "Detected by: " + p.DetectedBy + (p.DetectionDetail is null ? "" : " (" + p.DetectionDetail + ")"));
        text.AppendLine();
        Field(text, "URL", p.Url);
        Field(text, "Alert type", p.AlertType);
        Field(text, "ATT&CK", p.TechniqueId is null ? null : p.TechniqueId + " " + p.TechniqueName);
        Field(text, "From", p.Sender);
        Field(text, "To", p.Recipient);
        Field(text, "Subject", p.Subject);
        Field(text, "Message-ID", p.MessageId);
        Field(text, "Detail", p.Detail);
        Field(text, "Events", p.EventCount > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{p.EventCount} between {Utc(p.FirstEventAt)} and {Utc(p.LastEventAt)}")
            : Utc(p.LastEventAt));
        Field(text, "Alert id", alert.AlertId);
        if (p.ExposedTotal > 0)
        {
            text.AppendLine();
            Line(text, string.Create(CultureInfo.InvariantCulture, $"Exposed: {p.ExposedTotal} earlier click(s) Mimecast allowed"));
            foreach (ExposedClick click in p.Exposed)
            {
                Line(text, $"  {Utc(click.ClickedAt)}  {click.User}  from {click.Sender ?? "?"}  \"{click.Subject ?? ""}\"");
                Line(text, "    " + click.Url);
            }

            if (p.ExposedTotal > p.Exposed.Count)
            {
                Line(text, string.Create(CultureInfo.InvariantCulture, $"  ...and {p.ExposedTotal - p.Exposed.Count} more"));
            }
        }

        text.AppendLine();
        Line(text, "Links and addresses above are defanged. Acknowledge, snooze or block from the alert card in Teams or with the bot's commands.");
        Line(text, "Sent " + Utc(now) + ".");
        return text.ToString();
    }

    private static void Field(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Line(text, name + ": " + value);
        }
    }

    // CardText.Plain makes hidden and control characters visible and defangs URLs, hosts and addresses.
    private static void Line(StringBuilder text, string value) => text.Append(CardText.Plain(value, LineChars)).Append("\r\n");

    private static string Utc(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
