using System.Runtime.InteropServices;

namespace ChatOpsBot.Mail;

/// <summary>
/// A per-thread list that nested readers share as a stack: each notes the count when it starts, appends its items
/// (nested readers append and take theirs in between) and takes its own as an array of exactly their count. A
/// multipart's children and delimiters are collected here instead of in two lists per multipart.
/// </summary>
internal static class ScratchStack<T>
{
    // A list that grew past this (a hostile part count) is not kept for the next message.
    private const int MaxKeptCapacity = 4096;

    [ThreadStatic]
    private static List<T>? t_items;

    /// <summary>The thread's list; a reader keeps the reference it got and passes it back to <see cref="TakeFrom"/>.</summary>
    public static List<T> Items => t_items ??= new List<T>(16);

    /// <summary>The items from <paramref name="mark"/> to the top, removed from <paramref name="items"/> (and cleared there).</summary>
    public static T[] TakeFrom(List<T> items, int mark)
    {
        T[] taken = mark == items.Count ? [] : CollectionsMarshal.AsSpan(items)[mark..].ToArray();
        items.RemoveRange(mark, items.Count - mark);
        if (items.Count == 0 && items.Capacity > MaxKeptCapacity && ReferenceEquals(items, t_items))
        {
            t_items = null;
        }

        return taken;
    }
}
