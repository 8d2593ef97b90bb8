using System.Reflection;
using System.Text.Json.Nodes;

namespace ChatOpsBot.Integrations.Tests.Fakes;

/// <summary>The sample payloads embedded from <c>Fakes/Samples/</c>.</summary>
public static class FakeSamples
{
    public static string Mimecast(string fileName) => Read("Mimecast", fileName);

    public static string VirusTotal(string fileName) => Read("VirusTotal", fileName);

    public static JsonNode MimecastJson(string fileName) => JsonNode.Parse(Mimecast(fileName))!;

    public static JsonNode VirusTotalJson(string fileName) => JsonNode.Parse(VirusTotal(fileName))!;

    private static string Read(string folder, string fileName)
    {
        string name = $"Fakes.Samples.{folder}/{fileName}";
        Assembly assembly = typeof(FakeSamples).Assembly;
        string? resource = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.Replace('\\', '/').Equals(name, StringComparison.Ordinal));
        using Stream stream = assembly.GetManifestResourceStream(resource ?? throw new FileNotFoundException($"Embedded sample {name} not found"))!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
