namespace ChatOpsBot.Storage.Migrations;

/// <summary>
/// One versioned schema change. <see cref="Script"/> is the shared, provider-neutral text (dialect tokens still in it);
/// <see cref="Checksum"/> is computed over that text, so every provider records the same checksum.
/// </summary>
internal sealed record Migration(int Version, string Name, string Script, string Checksum)
{
    public string Label => $"{Version:D4}_{Name}";
}
