namespace ChatOpsBot.Mail;

/// <summary>Counters shared by a file and the messages embedded in it.</summary>
internal sealed class OutlookBudget(OutlookReaderOptions options)
{
    public long DecodedBytes { get; private set; }

    public int Attachments { get; set; }

    public bool TryCharge(long bytes)
    {
        if (bytes < 0 || DecodedBytes + bytes > options.MaxTotalDecodedBytes)
        {
            return false;
        }

        DecodedBytes += bytes;
        return true;
    }
}

/// <summary>Adds defects with a cap, so a file with thousands of bad entries cannot grow the list without bound.</summary>
internal static class OutlookDefects
{
    public const int MaxPerList = 200;

    public static void Add(List<MimeDefect> defects, MimeDefectKind kind, string message, long offset)
    {
        if (defects.Count < MaxPerList)
        {
            defects.Add(new MimeDefect(kind, message, offset));
        }
        else if (defects.Count == MaxPerList)
        {
            defects.Add(new MimeDefect(kind, $"more than {MaxPerList} defects; the rest are not listed", offset));
        }
    }
}
