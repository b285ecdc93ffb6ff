namespace Evaluation.Stats.Regression;

/// <summary>
/// Codes a categorical column as level indices 0..L−1, the levels being the trimmed labels in ordinal order with
/// a blank as <c>(missing)</c> (as <see cref="DesignMatrix.Build"/> orders them). Twice: a readable reference, and a
/// multi-threaded pass that codes a row by comparing its string instance with the first 64 instances met (text
/// columns read from files share one instance per distinct text), hashing the text only for a new instance.
/// </summary>
internal static class LevelCoder
{
    /// <summary>
    /// Column <paramref name="name"/> of <paramref name="data"/> coded: from its codes when it was added as codes (one
    /// pass that counts the codes, then a remap to the sorted levels that occur), else from its text
    /// (<see cref="Reference(IReadOnlyList{string?})"/> or <see cref="Fast"/>).
    /// </summary>
    internal static (int[] Codes, string[] Levels) Of(ModelData data, string name, bool reference, int threads)
    {
        if (reference || !data.TryCodes(name, out var codes, out var labels))
            return reference ? Reference(data.Categorical(name)) : Fast(data.Categorical(name), threads);
        return FromCodes(codes, labels, threads);
    }

    /// <summary>Codes given with their labels recoded to the levels that occur (trimmed, blank as <c>(missing)</c>, in ordinal order).</summary>
    internal static (int[] Codes, string[] Levels) FromCodes(int[] codes, string?[] labels, int threads, int rowsPerThread = 65_536)
    {
        var (map, levels) = MapOf(codes, labels, threads, rowsPerThread);
        if (map is null) return (codes, levels);
        int n = codes.Length, workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        var result = new int[n];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            for (int i = start; i < end; i++) result[i] = map[codes[i]];
        });
        return (result, levels);
    }

    /// <summary>
    /// The levels that occur among <paramref name="codes"/> (one counting pass) and the map from code to level; the map
    /// is null when every code already is its level (labels sorted, distinct, trimmed and all used).
    /// </summary>
    internal static (int[]? Map, string[] Levels) MapOf(int[] codes, string?[] labels, int threads, int rowsPerThread = 65_536)
    {
        int n = codes.Length, workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        var counts = new long[workers][];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var c = new long[labels.Length];
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            for (int i = start; i < end; i++) c[codes[i]]++;
            counts[w] = c;
        });
        return MapOfUsed(Enumerable.Range(0, labels.Length).Where(k => counts.Any(c => c[k] > 0)).ToArray(), labels);
    }

    /// <summary>As <see cref="MapOf"/>, given the codes that occur (<paramref name="used"/>, ascending); unused codes map to −1.</summary>
    internal static (int[]? Map, string[] Levels) MapOfUsed(int[] used, string?[] labels)
    {
        var levels = used.Select(k => Label(labels[k])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = levels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k, StringComparer.Ordinal);
        var map = Enumerable.Repeat(-1, labels.Length).ToArray();
        foreach (int k in used) map[k] = index[Label(labels[k])];
        return (used.Length == labels.Length && used.All(k => map[k] == k) ? null : map, levels);
    }

    internal static string Label(string? value) => string.IsNullOrWhiteSpace(value) ? ModelSpec.MissingLevel : value.Trim();

    internal static (int[] Codes, string[] Levels) Reference(IReadOnlyList<string?> values)
    {
        var labels = values.Select(Label).ToArray();
        var levels = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = levels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k, StringComparer.Ordinal);
        return (labels.Select(l => index[l]).ToArray(), levels);
    }

    internal static (int[] Codes, string[] Levels) Fast(string?[] values, int threads, int rowsPerThread = 65_536)
    {
        int n = values.Length;
        var codes = new int[n];
        int workers = Math.Max(1, Math.Min(threads, n / rowsPerThread));
        var local = new List<string?>[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            var seen = new List<string?>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            // The string instances met so far (up to 64) and their codes: a parser shares one instance per distinct
            // text, so a row is usually coded by a few reference comparisons instead of hashing its text.
            var instances = new string?[64];
            var instanceCodes = new int[64];
            int known = 0;
            for (int i = start; i < end; i++)
            {
                string? s = values[i];
                int c = -1;
                for (int k = 0; k < known; k++)
                    if (ReferenceEquals(instances[k], s)) { c = instanceCodes[k]; break; }
                if (c < 0)
                {
                    if (s is null) { c = seen.IndexOf(null); if (c < 0) { c = seen.Count; seen.Add(null); } }
                    else if (!index.TryGetValue(s, out c)) { c = seen.Count; index[s] = c; seen.Add(s); }
                    if (known < instances.Length) { instances[known] = s; instanceCodes[known++] = c; }
                }
                codes[i] = c;
            }
            local[w] = seen;
        });
        var levels = local.SelectMany(s => s).Select(Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var global = levels.Select((l, k) => (l, k)).ToDictionary(x => x.l, x => x.k, StringComparer.Ordinal);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var map = local[w].Select(s => global[Label(s)]).ToArray();
            int start = (int)((long)n * w / workers), end = (int)((long)n * (w + 1) / workers);
            for (int i = start; i < end; i++) codes[i] = map[codes[i]];
        });
        return (codes, levels);
    }
}
