using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ChatOpsBot.Tests.Alerts.Support;

/// <summary>A message the fake SMTP server accepted.</summary>
internal sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, string Data, bool OverTls, string? AuthenticatedUser);

/// <summary>
/// A tiny SMTP server on 127.0.0.1 (RFC 5321 subset): EHLO, STARTTLS (with a self-signed certificate made for the
/// test), AUTH LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT. It can answer the next DATA commands with a 4xx or 5xx reply
/// and can refuse AUTH before STARTTLS, like real submission servers.
/// </summary>
internal sealed class FakeSmtpServer : IAsyncDisposable
{
    public const string Username = "alerts@corp.example";
    public const string Password = "smtp-secret-4b1d";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _dataReplies = new();
    private readonly Task _loop;

    private FakeSmtpServer(bool offerStartTls)
    {
        OfferStartTls = offerStartTls;
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public X509Certificate2 Certificate { get; }

    public bool OfferStartTls { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    public int DataCommands;

    public static FakeSmtpServer Start(bool offerStartTls = true) => new(offerStartTls);

    /// <summary>The next DATA (after its content) is answered with <paramref name="reply"/>, e.g. "451 4.3.0 try later".</summary>
    public void ReplyToNextData(string reply) => _dataReplies.Enqueue(reply);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        Certificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await SessionAsync(client.GetStream());
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                    {
                    }
                }
            });
        }
    }

    private async Task SessionAsync(Stream network)
    {
        Stream stream = network;
        var reader = new LineReader(stream);
        bool tls = false;
        string? user = null;
        string? from = null;
        var recipients = new List<string>();
        await WriteAsync(stream, "220 fake-smtp ESMTP ready");
        while (true)
        {
            string? line = await reader.ReadLineAsync(_stop.Token);
            if (line is null)
            {
                return;
            }

            string verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                case "HELO":
                    var capabilities = new List<string> { "250-fake-smtp" };
                    if (OfferStartTls && !tls)
                    {
                        capabilities.Add("250-STARTTLS");
                    }

                    if (tls || !OfferStartTls)
                    {
                        capabilities.Add("250-AUTH LOGIN");
                    }

                    capabilities.Add("250 8BITMIME");
                    await WriteAsync(stream, string.Join("\r\n", capabilities));
                    break;
                case "STARTTLS":
                    await WriteAsync(stream, "220 2.0.0 go ahead");
                    var ssl = new SslStream(network, leaveInnerStreamOpen: false);
                    await ssl.AuthenticateAsServerAsync(Certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                    stream = ssl;
                    reader = new LineReader(stream);
                    tls = true;
                    break;
                case "AUTH":
                    // AUTH LOGIN may carry the user name as an initial response (System.Net.Mail sends it that way).
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    string name;
                    if (parts.Length > 2)
                    {
                        name = Decode(parts[2]);
                    }
                    else
                    {
                        await WriteAsync(stream, "334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes("Username:")));
                        name = Decode(await reader.ReadLineAsync(_stop.Token));
                    }

                    await WriteAsync(stream, "334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes("Password:")));
                    string password = Decode(await reader.ReadLineAsync(_stop.Token));
                    if (name == Username && password == Password)
                    {
                        user = name;
                        await WriteAsync(stream, "235 2.7.0 authenticated");
                    }
                    else
                    {
                        await WriteAsync(stream, "535 5.7.8 bad credentials");
                    }

                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    recipients.Clear();
                    await WriteAsync(stream, "250 2.1.0 ok");
                    break;
                case "RCPT":
                    recipients.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                    await WriteAsync(stream, "250 2.1.5 ok");
                    break;
                case "DATA":
                    await WriteAsync(stream, "354 end with <CRLF>.<CRLF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is string dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    Interlocked.Increment(ref DataCommands);
                    if (_dataReplies.TryDequeue(out string? reply))
                    {
                        await WriteAsync(stream, reply);
                    }
                    else
                    {
                        Messages.Enqueue(new ReceivedMail(from ?? "", [.. recipients], data.ToString(), tls, user));
                        await WriteAsync(stream, "250 2.0.0 queued");
                    }

                    break;
                case "RSET":
                case "NOOP":
                    await WriteAsync(stream, "250 2.0.0 ok");
                    break;
                case "QUIT":
                    await WriteAsync(stream, "221 2.0.0 bye");
                    return;
                default:
                    await WriteAsync(stream, "502 5.5.2 not implemented");
                    break;
            }
        }
    }

    private static string Decode(string? line) => line is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(line.Trim()));

    private static async Task WriteAsync(Stream stream, string reply)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(reply + "\r\n");
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>Reads CRLF lines byte by byte, so nothing past a STARTTLS line is consumed before the handshake.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _one = new byte[1];

        public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                int read = await stream.ReadAsync(_one, cancellationToken);
                if (read == 0)
                {
                    return line.Count == 0 ? null : Encoding.UTF8.GetString([.. line]);
                }

                if (_one[0] == '\n')
                {
                    if (line.Count > 0 && line[^1] == '\r')
                    {
                        line.RemoveAt(line.Count - 1);
                    }

                    return Encoding.UTF8.GetString([.. line]);
                }

                line.Add(_one[0]);
            }
        }
    }
}
