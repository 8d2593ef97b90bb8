namespace ChatOpsBot.Storage;

/// <summary>Set once the database is migrated; until then <c>/readyz</c> reports the database as not ready.</summary>
internal sealed class StorageReadiness
{
    private int _schemaVersion;

    public bool IsReady => Volatile.Read(ref _schemaVersion) > 0;

    public int SchemaVersion => Volatile.Read(ref _schemaVersion);

    public void MarkReady(int schemaVersion) => Volatile.Write(ref _schemaVersion, schemaVersion);
}
