namespace Evaluation.Stats.Regression;

/// <summary>
/// Codes a categorical column as level indices 0..L−1, the levels being the trimmed labels in ordinal order with
/// a blank as <c>(missing)</c> (as <see cref="DesignMatrix.Build"/> orders them). Twice: a readable reference, and a
/// multi-threaded pass that looks each distinct string up once per thread (text columns read from files repeat the
/// same few string instances, so the last instance seen is checked by reference before the dictionary).
/// </summary>
internal static class LevelCoder
{
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
            int nullCode = -1;
            string? last = null;
            int lastCode = -1;
            for (int i = start; i < end; i++)
            {
                string? s = values[i];
                if (s is null)
                {
                    if (nullCode < 0) { nullCode = seen.Count; seen.Add(null); }
                    codes[i] = nullCode;
                }
                else if (ReferenceEquals(s, last)) codes[i] = lastCode;
                else
                {
                    if (!index.TryGetValue(s, out int c)) { c = seen.Count; index[s] = c; seen.Add(s); }
                    codes[i] = c;
                    last = s;
                    lastCode = c;
                }
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
