namespace ChatOpsBot.Slack.Tests.Support;

/// <summary>The copies of ../shared/samples/channels/slack-* under <c>Samples/</c>.</summary>
internal static class Samples
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", name));

    /// <summary>The sample's bytes without the file's final newline (a request body has none).</summary>
    public static byte[] Bytes(string name) => System.Text.Encoding.UTF8.GetBytes(Text(name).TrimEnd('\r', '\n'));

    /// <summary>The worked example of slack-signature-test-vector.txt: secret, timestamp, body, expected signature.</summary>
    public static (string Secret, string Timestamp, string Body, string Signature) SignatureVector() => ParseVector(Text("slack-signature-test-vector.txt"));

    public static (string Secret, string Timestamp, string Body, string Signature) ParseVector(string text)
    {
        Dictionary<string, string> values = text.Split('\n')
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.TrimEnd('\r'))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        return (values["signing_secret"], values["X-Slack-Request-Timestamp"], values["body"], values["X-Slack-Signature"]);
    }
}
