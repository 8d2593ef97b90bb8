namespace ChatOpsBot.Storage.Sqlite;

/// <summary>
/// Every stored time is BIGINT unix milliseconds (UTC): numeric comparison and indexing behave the same on SQLite and
/// PostgreSQL, with no text format or time zone to get wrong. Sub-millisecond precision and the offset are dropped.
/// </summary>
internal static class UnixTime
{
    public static long ToMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);
}
