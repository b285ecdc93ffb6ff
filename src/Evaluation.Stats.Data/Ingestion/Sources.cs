namespace Evaluation.Stats.Data;

/// <summary>The one way in for a path: every reader and command opens its input here.</summary>
internal static class Sources
{
    /// <summary>
    /// Opens <paramref name="path"/>: <c>-</c> is standard input, <c>.parquet</c> is read as Parquet, <c>.gz</c> is
    /// decompressed, anything else is delimited text in the options' delimiter and encoding.
    /// </summary>
    public static IRowSource Open(string path, ReadOptions options)
    {
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            return ParquetRowSource.Open(path, options);
        return DelimitedSource.Open(path, options);
    }
}
