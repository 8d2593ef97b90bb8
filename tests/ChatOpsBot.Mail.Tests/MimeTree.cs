using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

/// <summary>Measures a parsed tree, across embedded messages, to check it against the configured limits.</summary>
internal static class MimeTree
{
    public static IEnumerable<MimeEntity> AllEntities(MimeMessage message)
    {
        foreach (MimeEntity entity in message.Body.DescendantsAndSelf())
        {
            yield return entity;
            if (entity is MessagePart part)
            {
                foreach (MimeEntity inner in AllEntities(part.Message))
                {
                    yield return inner;
                }
            }
        }
    }

    public static int MaxDepth(MimeMessage message) => AllEntities(message).Max(e => e.Depth);

    public static long DecodedMessageBytes(MimeMessage message) =>
        AllEntities(message).OfType<MessagePart>().Where(p => p.IsDecoded).Sum(p => (long)p.Message.Body.EndOffset);

    public static void ShouldRespect(this MimeMessage message, MimeParserOptions options)
    {
        List<MimeEntity> entities = AllEntities(message).ToList();
        entities.Count.ShouldBeLessThanOrEqualTo(options.MaxParts);
        entities.Max(e => e.Depth).ShouldBeLessThanOrEqualTo(options.MaxDepth);
        entities.Max(e => e.Headers.Count).ShouldBeLessThanOrEqualTo(options.MaxHeaders);
        DecodedMessageBytes(message).ShouldBeLessThanOrEqualTo(options.MaxDecodedBytes);
    }
}
