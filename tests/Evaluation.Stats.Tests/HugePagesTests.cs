using Evaluation.Stats.Tool;

namespace Evaluation.Stats.Tests;

/// <summary>The CLI's huge-page advice finds the GC's reservation: the largest mapping without a file or name.</summary>
public class HugePagesTests
{
    [Fact]
    public void Largest_anonymous_mapping_skips_files_and_named_mappings()
    {
        var maps = Path.GetTempFileName();
        File.WriteAllLines(maps,
        [
            "55d0c0000000-55d0c8000000 r-xp 00000000 fe:01 1234      /usr/bin/evalstats",
            "7f0000000000-7f0c00000000 ---p 00000000 00:00 0 ",
            "7f1000000000-7f1fff000000 rw-p 00000000 00:00 0                          [heap]",
            "7f2000000000-7f2000200000 rw-p 00000000 00:00 0",
            "7ffc00000000-7fff00000000 rw-p 00000000 00:00 0                          [stack]",
        ]);
        try
        {
            var (start, length) = HugePages.LargestAnonymousMapping(maps);
            Assert.Equal(0x7f0000000000L, start);
            Assert.Equal(0xc00000000L, length);
        }
        finally { File.Delete(maps); }
    }

    [Fact]
    public void This_process_has_a_reservation_of_at_least_a_gigabyte_on_linux()
    {
        if (!OperatingSystem.IsLinux()) return;
        var (_, length) = HugePages.LargestAnonymousMapping();
        Assert.True(length >= 1L << 30, $"largest anonymous mapping {length} bytes");
    }
}
