namespace Evaluation.Stats.Data;

/// <summary>
/// Hands out the number stores of one load's <see cref="LogitSegment"/>s as slices of large shared arrays (slabs),
/// safely from several threads.
/// </summary>
/// <remarks>
/// Why: a block of a delimited file fills a store of about 2 MB, and a fresh array of that size is memory the garbage
/// collector commits just before the parser first writes it. Linux can back memory with 2 MB pages only where a whole
/// aligned 2 MB range is committed when it is first touched, so stores of their own size got 4 KB pages. Each of
/// those pages then costs a fault, and on this project's VMs that is microseconds: 54,000 faults, the largest part of a
/// 1M × 30 load. A slab is committed at once, so all of it but its ends can be backed by 2 MB pages (where the CLI
/// asks for them; see the tool's HugePages). A slab's unused tail is committed but never touched, so it costs no memory.
/// </remarks>
internal sealed class SegmentSlabs
{
    /// <summary>The largest slab, in doubles (32 MB).</summary>
    internal const int MaxSlab = 4 << 20;

    /// <summary>How many stores a slab holds when that stays within <see cref="MaxSlab"/>.</summary>
    internal const int StoresPerSlab = 16;

    private readonly Lock _gate = new();
    private double[]? _slab;
    private int _used;

    /// <summary>The slabs made so far (for the tests).</summary>
    internal int Slabs { get; private set; }

    /// <summary>
    /// A store of <paramref name="length"/> doubles: an array and where the store starts in it. A store of half a slab
    /// or more gets an array of its own.
    /// </summary>
    public (double[] Array, int Offset) Take(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length >= MaxSlab / 2) return (GC.AllocateUninitializedArray<double>(length), 0);
        lock (_gate)
        {
            if (_slab is null || _slab.Length - _used < length)
            {
                _slab = GC.AllocateUninitializedArray<double>(Math.Min(MaxSlab, Math.Max(1, length) * StoresPerSlab));
                _used = 0;
                Slabs++;
            }
            int at = _used;
            _used += length;
            return (_slab, at);
        }
    }
}
