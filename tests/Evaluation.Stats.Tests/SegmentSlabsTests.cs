using Evaluation.Stats.Data;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The delimited reader's shared number stores (SegmentSlabs): stores taken from any thread never overlap, a slab
/// holds several stores, and a store of half a slab or more gets an array of its own. IngestionBlockTests checks
/// every value read through them against its generator.
/// </summary>
public class SegmentSlabsTests
{
    [Fact]
    public void StoresTakenFromManyThreads_NeverOverlap()
    {
        var slabs = new SegmentSlabs();
        var taken = new System.Collections.Concurrent.ConcurrentBag<(double[] Array, int Offset, int Length)>();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int length = 1_000 + i % 7 * 3_001;
            var (array, offset) = slabs.Take(length);
            Assert.True(offset >= 0 && offset + length <= array.Length, $"store {offset}+{length} outside its array of {array.Length}");
            // Each store writes its own mark over all of it; an overlap would leave another store's mark behind.
            array.AsSpan(offset, length).Fill(i);
            taken.Add((array, offset, length));
        });
        foreach (var group in taken.GroupBy(t => t.Array))
        {
            var spans = group.OrderBy(t => t.Offset).ToList();
            for (int k = 1; k < spans.Count; k++)
                Assert.True(spans[k - 1].Offset + spans[k - 1].Length <= spans[k].Offset, "two stores overlap in one slab");
        }
        foreach (var (array, offset, length) in taken)
        {
            double mark = array[offset];
            Assert.True(array.AsSpan(offset, length).IndexOfAnyExcept(mark) < 0, "a store was overwritten by another");
        }
        Assert.True(slabs.Slabs < 400 / 4, $"{slabs.Slabs} slabs for 400 small stores: they are not being shared");
    }

    [Fact]
    public void ASlab_HoldsSixteenStores_ThenANewOneStarts()
    {
        var slabs = new SegmentSlabs();
        var first = slabs.Take(10_000).Array;
        for (int k = 1; k < SegmentSlabs.StoresPerSlab; k++) Assert.Same(first, slabs.Take(10_000).Array);
        Assert.Equal(1, slabs.Slabs);
        Assert.NotSame(first, slabs.Take(10_000).Array);
        Assert.Equal(2, slabs.Slabs);
    }

    [Fact]
    public void AStoreOfHalfASlabOrMore_GetsItsOwnArray()
    {
        var slabs = new SegmentSlabs();
        var (array, offset) = slabs.Take(SegmentSlabs.MaxSlab / 2);
        Assert.Equal(SegmentSlabs.MaxSlab / 2, array.Length);
        Assert.Equal(0, offset);
        Assert.Equal(0, slabs.Slabs);
    }
}
