using System.Buffers;
using System.Text;

namespace ChatOpsBot.TestSupport;

/// <summary>
/// Looks through what <see cref="ArrayPool{T}.Shared"/> hands out on the calling thread for a marker text: arrays
/// returned to the shared pool are reused by any code in the process (HTTP bodies, JSON writers), so message data left
/// in them outlives the message. The shared pool keeps the last array returned per size class in a per-thread slot and
/// serves the next rent of that size class from it, so a synchronous test that ran the code under test on this thread
/// sees every array it returned.
/// </summary>
internal static class PooledMemory
{
    // Size classes from 16 elements up to 4 M; a few rents per class also reach arrays kept in the per-core stacks.
    private const int SmallestClass = 16;
    private const int LargestClass = 4 * 1024 * 1024;
    private const int RentsPerClass = 4;

    // Arrays kept per size class by Prime: more than Holds rents, so Holds is served from the pool, never by a fresh
    // array. A fresh array comes uninitialized and may hold stale text of objects already collected.
    private const int PrimedPerClass = 8;

    /// <summary>
    /// Fills the shared byte and char pools with cleared arrays of every size class: call it before the code under
    /// test, so that what that code rents, and what <see cref="HoldsText"/> rents afterwards, come from the pool.
    /// </summary>
    public static void Prime()
    {
        Fill(ArrayPool<byte>.Shared);
        Fill(ArrayPool<char>.Shared);
    }

    /// <summary>True when an array the shared byte or char pool hands out holds <paramref name="marker"/> (UTF-8 or UTF-16).</summary>
    public static bool HoldsText(string marker)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(marker);
        return Holds(ArrayPool<byte>.Shared, utf8) || Holds(ArrayPool<char>.Shared, marker.ToCharArray());
    }

    private static void Fill<T>(ArrayPool<T> pool)
    {
        var rented = new List<T[]>();
        for (int size = SmallestClass; size <= LargestClass; size *= 2)
        {
            for (int i = 0; i < PrimedPerClass; i++)
            {
                T[] array = pool.Rent(size);
                Array.Clear(array);
                rented.Add(array);
            }
        }

        foreach (T[] array in rented)
        {
            pool.Return(array);
        }
    }

    private static bool Holds<T>(ArrayPool<T> pool, T[] marker)
        where T : IEquatable<T>
    {
        bool found = false;
        var rented = new List<T[]>();
        for (int size = SmallestClass; size <= LargestClass; size *= 2)
        {
            for (int i = 0; i < RentsPerClass; i++)
            {
                T[] array = pool.Rent(size);
                rented.Add(array);
                found |= array.AsSpan().IndexOf(marker) >= 0;
            }
        }

        foreach (T[] array in rented)
        {
            pool.Return(array, clearArray: true);
        }

        return found;
    }
}
