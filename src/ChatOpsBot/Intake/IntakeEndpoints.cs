using ChatOpsBot.Alerts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Intake;

/// <summary>The 202 answer of the mail-flow webhook.</summary>
public sealed record IntakeAccepted(string AnalysisId);

/// <summary>
/// <c>POST /api/intake/mail</c>: a mail-flow rule or relay posts one raw RFC 822 message with the key in
/// <see cref="IntakeOptions.ApiKeyHeader"/>. The message is analysed like a reported mail and its verdict card goes to
/// the SOC through the alert outbox (kind <see cref="AlertKinds.MailReport"/>); the answer is 202 with the analysis id
/// once the alert is stored. Refusals are decided before anything is kept: no key configured 404, bad or missing key
/// 401 (before the body is read), more than <see cref="IntakeOptions.MaxConcurrentRequests"/> at once 503, body over <see cref="IntakeOptions.MaxMessageBytes"/> 413 (from the declared length,
/// or as soon as the stream passes it), not mail (<see cref="RawMail"/>) 422. Each outcome is one log line without the
/// body or the key.
/// </summary>
public static partial class IntakeEndpoints
{
    public const string MailPath = "/api/intake/mail";

    public static IEndpointRouteBuilder MapChatOpsIntake(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(MailPath, ReceiveMailAsync).WithName("IntakeMail");
        return endpoints;
    }

    internal static async Task<IResult> ReceiveMailAsync(
        HttpContext context,
        IOptions<IntakeOptions> options,
        MailReportIntake intake,
        AlertDeliveryNudge nudge,
        IntakeGate gate,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ILogger logger = loggers.CreateLogger(typeof(IntakeEndpoints).FullName!);
        IntakeOptions settings = options.Value;
        if (!settings.IsEnabled)
        {
            return TypedResults.NotFound();
        }

        string? presented = context.Request.Headers.TryGetValue(IntakeOptions.ApiKeyHeader, out Microsoft.Extensions.Primitives.StringValues values) && values.Count == 1
            ? values[0]
            : null;
        if (!new IntakeApiKey(settings.ApiKey).Matches(presented))
        {
            LogUnauthorized(logger, presented is null ? "missing" : "wrong");
            return TypedResults.Unauthorized();
        }

        using IDisposable? slot = gate.TryEnter();
        if (slot is null)
        {
            LogBusy(logger, settings.MaxConcurrentRequests);
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        byte[]? body = await ReadBoundedAsync(context, settings.MaxMessageBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(logger, settings.MaxMessageBytes);
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        string? problem = RawMail.Problem(body);
        AnalysedMail? analysed = null;
        if (problem is null)
        {
            analysed = await intake.AnalyseAsync(body, cancellationToken).ConfigureAwait(false);
            problem = analysed.Problem;
        }

        if (problem is not null || analysed is null)
        {
            LogNotMail(logger, body.Length, problem ?? "not mail");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Not an RFC 822 message",
                detail: "The body must be one raw RFC 822 message: header fields (with From) first, then an empty line and the body.");
        }

        string reportId = MailReportIds.New();
        var report = new MailReport(
            reportId, MailReportSources.Webhook, reportId, null, analysed.Report?.Subject, null, null, null,
            timeProvider.GetUtcNow(), null, null, null, 0, null, null);
        MailReport stored = await intake.PostAsync(report, analysed, MailReportOrigin.Webhook, cancellationToken).ConfigureAwait(false);
        await nudge.NudgeAsync(cancellationToken).ConfigureAwait(false);
        LogAccepted(logger, stored.ReportId, body.Length, stored.Verdict ?? "", stored.AlertId ?? "");
        return TypedResults.Accepted((string?)null, new IntakeAccepted(stored.ReportId));
    }

    /// <summary>The body, or null as soon as it is known to be over <paramref name="limit"/> (declared or read).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        // Kestrel's own cap (30 MB by default) must not answer first with its own error; this limit is the one that counts.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        while (true)
        {
            int read = await context.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake: message accepted as report {ReportId} ({Bytes} bytes, {Verdict}), SOC alert {AlertId}")]
    private static partial void LogAccepted(ILogger logger, string reportId, int bytes, string verdict, string alertId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake: refused (401), the X-ChatOps-Intake-Key header is {How}")]
    private static partial void LogUnauthorized(ILogger logger, string how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake: refused (503), Intake:MaxConcurrentRequests ({Limit}) messages are being analysed")]
    private static partial void LogBusy(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake: refused (413), the body is over Intake:MaxMessageBytes ({Limit} bytes)")]
    private static partial void LogTooLarge(ILogger logger, long limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake: refused (422), {Bytes} bytes that are not an RFC 822 message: {Problem}")]
    private static partial void LogNotMail(ILogger logger, int bytes, string problem);
}
