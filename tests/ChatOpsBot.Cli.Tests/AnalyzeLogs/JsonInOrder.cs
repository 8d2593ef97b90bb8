using System.Text.Json;

namespace ChatOpsBot.Cli.Tests.AnalyzeLogs;

/// <summary>JSON equality that also checks the order of object keys, which the seed's dicts define.</summary>
internal static class JsonInOrder
{
    /// <summary><paramref name="actual"/> has <paramref name="expected"/>'s keys first, in order and equal; extra keys may follow.</summary>
    public static void ShouldStartWith(JsonElement actual, JsonElement expected)
    {
        actual.ValueKind.ShouldBe(JsonValueKind.Object);
        var actualProperties = actual.EnumerateObject().ToList();
        var expectedProperties = expected.EnumerateObject().ToList();
        actualProperties.Count.ShouldBeGreaterThanOrEqualTo(expectedProperties.Count);
        for (int i = 0; i < expectedProperties.Count; i++)
        {
            actualProperties[i].Name.ShouldBe(expectedProperties[i].Name);
            ShouldEqual(actualProperties[i].Value, expectedProperties[i].Value, expectedProperties[i].Name);
        }
    }

    private static void ShouldEqual(JsonElement actual, JsonElement expected, string path)
    {
        actual.ValueKind.ShouldBe(expected.ValueKind, path);
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                actual.EnumerateObject().Select(p => p.Name).ShouldBe(expected.EnumerateObject().Select(p => p.Name), path);
                foreach (JsonProperty property in expected.EnumerateObject())
                {
                    ShouldEqual(actual.GetProperty(property.Name), property.Value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                actual.GetArrayLength().ShouldBe(expected.GetArrayLength(), path);
                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    ShouldEqual(actual[i], expected[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String:
                actual.GetString().ShouldBe(expected.GetString(), path);
                break;
            default:
                actual.GetRawText().ShouldBe(expected.GetRawText(), path);
                break;
        }
    }
}
