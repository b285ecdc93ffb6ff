namespace Evaluation.Stats.Regression;

/// <summary>
/// Codes a categorical column as level indices 0..L−1, the levels being the trimmed labels in ordinal order with
/// a blank as <c>(missing)</c> (as <see cref="DesignMatrix.Build"/> orders them). Twice: a readable reference, and a
/// multi-threaded pass that codes a row by comparing its string instance with the first 64 instances met (text
/// columns read from files share one instance per distinct text), hashing the text only for a new instance.
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
