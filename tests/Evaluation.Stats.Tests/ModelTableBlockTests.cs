using System.Text;
using Evaluation.Stats.Data;
using Evaluation.Stats.Regression.Formula;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The <see cref="ModelTable"/> reader (behind <c>evalstats ols</c> and <c>logit --formula</c>) parses delimited text
/// block by block on every core; its row-by-row path over the sequential reader is the reference. On random messy
/// files (numbers, text, blanks, NaN and infinities, huge numbers, quoted fields with commas, quotes and line breaks,
/// short and long rows, every line ending, blank lines, an unclosed quote) and small blocks that put the cuts
/// everywhere, both give the same table or the same error (line, column and message), in both bad-row modes.
/// </summary>
public class ModelTableBlockTests
{
    private static readonly ModelFormula Formula = ModelFormula.Parse("y ~ x + C(g) + t + z");

    /// <summary>A messy table y,x,g,t,w,c,z (z is all text, t mostly numbers with some text; w a weight, c a cluster).</summary>
    private static string Messy(int rows, int seed, bool unclosed)
    {
        var rng = new Random(seed);
        string[] ends = ["\n", "\r\n", "\r"];
        string Pick(params string[] options) => options[rng.Next(options.Length)];
        string Number() => rng.Next(12) switch
        {
            0 => "",
            1 => "NaN",
            2 => "1e400",
            3 => "-Infinity",
            4 => " 2.5 ",
            5 => "abc",
            _ => (rng.NextDouble() * 10 - 5).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        var sb = new StringBuilder("y,x,g,t,w,c,z\n");
        for (int i = 0; i < rows; i++)
        {
            if (rng.Next(25) == 0 && sb[^1] != '\r') sb.Append('\n');
            string y = rng.Next(15) switch { 0 => "", 1 => "2", 2 => "yes", _ => rng.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            string x = rng.Next(10) == 0 ? Number() : Math.Round(rng.NextDouble() * 4, 3).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string g = Pick("a", "b", "\"b, c\"", "\"two\nlines\"", "", "1", "\"say \"\"hi\"\"\"");
            string t = rng.Next(40) == 0 ? "n/a" : rng.Next(30) == 0 ? "" : rng.Next(9).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string w = rng.Next(20) == 0 ? Number() : "1";
            string c = Pick("k1", "k2", "", "\"k\r\n3\"");
            string z = Pick("p", "q", "", "\"r,s\"");
            var fields = new List<string> { y, x, g, t, w, c, z };
            if (rng.Next(60) == 0) fields.RemoveAt(6);
            if (rng.Next(60) == 0) fields.Add("extra");
            sb.Append(string.Join(",", fields)).Append(ends[rng.Next(3)]);
        }
        if (unclosed) sb.Append("1,2,\"never closed,3,1,k1,p\n0,1,a,2,1,k1,p\n");
        return sb.ToString();
    }

    private static ReadOptions Options(BadRowPolicy policy, int block) => new() { OnBadRows = policy, BlockChars = block };

    private static ModelColumns Columns(IDisposableSource source, ReadOptions options) =>
        new(source.Source, Formula, OutcomeKind.Binary, ["c"], ["w"], options, "logit");

    /// <summary>A row source and what must be disposed with it.</summary>
    private sealed record IDisposableSource(IRowSource Source) : IDisposable
    {
        public void Dispose() => Source.Dispose();
    }

    /// <summary>The table, or the error, as text that two reads must agree on exactly.</summary>
    private static string Outcome(Func<ModelTable> read)
    {
        try
        {
            var t = read();
            var sb = new StringBuilder();
            sb.Append("rows ").Append(t.InputRows).Append('\n');
            sb.Append("y ").AppendJoin(',', t.Outcome).Append('\n');
            foreach (var v in new[] { "x", "g", "t", "z" })
            {
                try { sb.Append(v).Append(" numeric ").AppendJoin(',', t.Data.Numeric(v)).Append('\n'); }
                catch (ArgumentException) { sb.Append(v).Append(" categorical ").AppendJoin('|', t.Data.Categorical(v)).Append('\n'); }
            }
            sb.Append("w ").AppendJoin(',', t.Data.Numeric("w")).Append('\n');
            sb.Append("c ").AppendJoin('|', t.Clusters[0]).Append('\n');
            foreach (var e in t.Exclusions) sb.Append(e.Analysis).Append(": ").Append(e.Reason).Append(' ').Append(e.Rows).Append(" [").AppendJoin(',', e.Lines).Append("]\n");
            return sb.ToString();
        }
        catch (InputFormatException e)
        {
            return $"error {e.SourceName} line {e.Line} column {e.Column}: {e.Problem}";
        }
    }

    private static string ByBlocks(string text, ReadOptions options)
    {
        using var source = new IDisposableSource(new DelimitedBlocks(new StringReader(text), "m.csv", options, options.BlockChars));
        return Outcome(() => Columns(source, options).Load());
    }

    private static string ByRows(string text, ReadOptions options)
    {
        using var source = new IDisposableSource(new DelimitedSource(new StringReader(text), "m.csv", options));
        return Outcome(() => Columns(source, options).LoadByRows());
    }

    [Property(MaxTest = 80)]
    [Trait("Category", "FastPath")]
    public Property TheBlockReader_EqualsTheRowReader_OnMessyFiles() => Prop.ForAll(
        (from rows in Gen.Choose(1, 400)
         from seed in Gen.Choose(0, 1_000_000)
         from block in Gen.Elements(16, 23, 64, 301, 4096, 1 << 21)
         from unclosed in Gen.Elements(true, false)
         from policy in Gen.Elements(BadRowPolicy.Stop, BadRowPolicy.Exclude)
         select (rows, seed, block, unclosed, policy)).ToArbitrary(),
        c =>
        {
            var text = Messy(c.rows, c.seed, c.unclosed);
            var options = Options(c.policy, c.block);
            string expected = ByRows(text, options), actual = ByBlocks(text, options);
            return (expected == actual).Label($"{c}:\nrow reader:\n{expected}\nblock reader:\n{actual}");
        });

    [Fact]
    [Trait("Category", "FastPath")]
    public void CleanFiles_GiveTheSameTable_AndKeepEveryRow()
    {
        // Files with no bad row, so the comparison is of whole tables, not of errors.
        var sb = new StringBuilder("y,x,g,t,w,c,z\r\n");
        var rng = new Random(5);
        for (int i = 0; i < 3000; i++)
            sb.Append(rng.Next(2)).Append(',').Append(rng.Next(100) / 8.0).Append(",\"g").Append(rng.Next(4)).Append("\",").Append(rng.Next(5))
              .Append(",1,k").Append(rng.Next(3)).Append(",\"z\n").Append(rng.Next(2)).Append('"').Append(i % 2 == 0 ? "\n" : "\r\n");
        var text = sb.ToString();
        foreach (int block in new[] { 50, 999, 1 << 21 })
        {
            var options = Options(BadRowPolicy.Stop, block);
            string rows = ByRows(text, options), blocks = ByBlocks(text, options);
            Assert.StartsWith("rows 3000\n", rows);
            Assert.Equal(rows, blocks);
        }
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void TheFirstBadLine_Wins_OverLaterBadRowsInOtherBlocks_AndOverALaterUnclosedQuote()
    {
        var sb = new StringBuilder("y,x,g,t,w,c,z\n");
        for (int i = 0; i < 400; i++)
            sb.Append(i == 37 ? "5" : i == 300 ? "7" : (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",1,a,2,1,k,p\n");
        sb.Append("1,\"open,1,a,2,1,k,p\n");
        foreach (int block in new[] { 32, 200, 1 << 21 })
        {
            var stop = ByBlocks(sb.ToString(), Options(BadRowPolicy.Stop, block));
            Assert.StartsWith("error m.csv line 39 column y:", stop); // row 37 is on line 39
            var exclude = ByBlocks(sb.ToString(), Options(BadRowPolicy.Exclude, block));
            Assert.Contains("never closed", exclude); // the unclosed quote stops the read in both modes
            Assert.StartsWith("error m.csv line 402 ", exclude);
        }
    }
}
