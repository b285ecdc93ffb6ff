using System.Globalization;
using System.Runtime.InteropServices;

namespace Evaluation.Stats.Tool;

/// <summary>
/// Asks Linux for transparent huge pages (2 MB) over the garbage collector's reserved address range, once at start.
/// A fresh process pays for every page of fresh memory on first touch; on the project's VMs a 4 KB fault costs tens of
/// microseconds, so touching the 250 MB of columns a 1M × 30 table needs took about 1.1 s with 4 KB pages and 0.2 s
/// with 2 MB ones (docs/performance.md, "Huge pages"). Where the kernel's setting is <c>madvise</c> (Debian's default)
/// nothing is huge unless asked for; with <c>always</c> or <c>never</c> this does nothing. Set
/// <c>EVALSTATS_HUGEPAGES=0</c> to turn it off.
/// </summary>
/// <remarks>
/// The GC reserves its whole heap range when the runtime starts and commits parts of it as it grows; the advice is a
/// flag on the reserved range that later commits inherit, so every large array (the columns, the fit's workspace)
/// gets 2 MB pages where its range allows. The range is the process's largest anonymous mapping, at least 1 GB, which
/// nothing else in this process comes near. Any failure leaves the process as it was.
/// </remarks>
internal static class HugePages
{
    private const int MadvHugePage = 14;
    private const long MinimumReservation = 1L << 30;

    public static void Advise()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("EVALSTATS_HUGEPAGES") is "0") return;
        try
        {
            if (!File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled").Contains("[madvise]", StringComparison.Ordinal)) return;
            var (start, length) = LargestAnonymousMapping();
            if (length >= MinimumReservation) _ = Madvise((nint)start, (nuint)length, MadvHugePage);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The largest mapping in /proc/self/maps with no file or name (its line has five fields).</summary>
    internal static (long Start, long Length) LargestAnonymousMapping(string maps = "/proc/self/maps")
    {
        long bestStart = 0, bestLength = 0;
        foreach (var line in File.ReadLines(maps))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 5) continue;
            int dash = fields[0].IndexOf('-');
            if (dash < 0
                || !long.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long start)
                || !long.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long end))
                continue;
            if (end - start > bestLength) { bestStart = start; bestLength = end - start; }
        }
        return (bestStart, bestLength);
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);
}
