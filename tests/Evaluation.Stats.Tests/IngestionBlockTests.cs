using System.Globalization;
using System.Text;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The block-parallel read of delimited text (DelimitedBlocks): cuts between blocks must never change a row, its
/// physical line or which error is reported. Small blocks put the cuts everywhere: inside quoted fields, between a
/// CR and its LF, in the middle of a number. Expected values come from the generator, not from the reader.
/// </summary>
public class IngestionBlockTests
{
    private static readonly ReadOptions Exclude = new() { OnBadRows = BadRowPolicy.Exclude };
    private static readonly int[] BlockSizes = [16, 17, 31, 64, 100, 257, 1000, 1 << 21];

    /// <summary>One generated row: its values, how it is written, and the physical line it starts on.</summary>
    private sealed record GenRow(int Y, double X, string Note, string Text, long Line);

    /// <summary>
    /// A table y,x,note: notes are quoted with commas, doubled quotes and line breaks of every kind; rows end in LF,
    /// CRLF or CR; some blank lines. Lines are counted as the reader must count them (LF, CRLF, lone CR once each).
    /// </summary>
    private static (string Text, List<GenRow> Rows) Table(int rows, int seed, Func<int, string, string>? edit = null)
    {
        var rng = new Random(seed);
        string[] ends = ["\n", "\r\n", "\r"];
        var sb = new StringBuilder("y,x,note\n");
        long line = 2;
        var list = new List<GenRow>();
        for (int i = 0; i < rows; i++)
        {
            if (rng.Next(20) == 0 && sb[^1] != '\r') { sb.Append('\n'); line++; } // a blank line (after a CR it would make a CRLF)
            int y = rng.Next(2);
            double x = Math.Round(rng.NextDouble() * 20 - 10, rng.Next(0, 7));
            string note = rng.Next(4) switch
            {
                0 => "plain" + rng.Next(5),
                1 => "a, \"quoted\" one",
                2 => "two" + ends[rng.Next(3)] + "lines" + rng.Next(3),
                _ => "x\r\ny\nz" + rng.Next(2),
            };
            bool quote = note.IndexOfAny([',', '"', '\n', '\r']) >= 0;
            string written = quote ? "\"" + note.Replace("\"", "\"\"") + "\"" : note;
            string text = $"{y},{x.ToString("R", CultureInfo.InvariantCulture)},{written}";
            list.Add(new GenRow(y, x, note, text, line));
            sb.Append(edit is null ? text : edit(i, text)).Append(ends[rng.Next(3)]);
            line += 1 + Data.DelimitedBlocks.Breaks(note);
        }
        return (sb.ToString(), list);
    }

    private static LogitTable Read(string text, int block, ReadOptions? options = null) =>
        LogitTable.Read(new StringReader(text), "b.csv", "y", ["note"], null, (options ?? ReadOptions.Default) with { BlockChars = block });

    [Fact]
    [Trait("Category", "FastPath")]
    public void Values_AreTheSame_WhereverTheBlocksAreCut()
    {
        var (text, rows) = Table(600, 1);
        foreach (int block in BlockSizes)
        {
            var t = Read(text, block);
            Assert.Equal(rows.Count, t.InputRows);
            Assert.Equal(rows.Select(r => (double)r.Y), t.Outcome);
            Assert.Equal(rows.Select(r => r.X), t.Data.Numeric("x"));
            Assert.Equal(rows.Select(r => r.Note), t.Data.Categorical("note"));
        }
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void AnErrorInAnyBlock_NamesItsPhysicalLine_InBothModes()
    {
        foreach (int bad in new[] { 0, 1, 57, 199, 200, 398, 399 })
        {
            var (broken, rows) = Table(400, 2, (i, t) => i == bad ? "7" + t[1..] : t);
            foreach (int block in new[] { 16, 64, 257, 1 << 21 })
            {
                var e = Assert.Throws<InputFormatException>(() => Read(broken, block));
                Assert.Equal((rows[bad].Line, "y"), (e.Line, e.Column));
                var t = Read(broken, block, Exclude);
                Assert.Equal([rows[bad].Line], Assert.Single(t.Exclusions).Lines);
                Assert.Equal(rows.Count - 1, t.Outcome.Length);
            }
        }
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void TheFirstBadLine_IsReported_WhenLaterBlocksAlsoHaveErrors()
    {
        var (broken, rows) = Table(300, 3, (i, t) => i == 250 ? t[..2] + "NaN" + t[(2 + t.Split(',')[1].Length)..] : i == 40 ? "9" + t[1..] : t);
        foreach (int block in new[] { 16, 100, 1 << 21 })
            Assert.Equal(rows[40].Line, Assert.Throws<InputFormatException>(() => Read(broken, block)).Line);
        // an unclosed quote after a bad row: the bad row is first
        var unclosed = broken + "1,2,\"never closed\n0,1,x\n";
        foreach (int block in new[] { 16, 100, 1 << 21 })
            Assert.Equal(rows[40].Line, Assert.Throws<InputFormatException>(() => Read(unclosed, block)).Line);
        // in exclude mode the unclosed quote still stops the run, naming the line it opened on
        long opened = 2 + Data.DelimitedBlocks.Breaks(broken) - 1;
        foreach (int block in new[] { 16, 100, 1 << 21 })
        {
            var e = Assert.Throws<InputFormatException>(() => Read(unclosed, block, Exclude));
            Assert.Contains("never closed", e.Message);
            Assert.Equal(opened, e.Line);
        }
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void AStrayTokenInALaterBlock_IsAnError_NamingItsLine()
    {
        var sb = new StringBuilder("y,x1\r\n");
        for (int i = 0; i < 500; i++) sb.Append(i % 2).Append(',').Append(i == 431 ? "N/A" : (i * 0.5).ToString(CultureInfo.InvariantCulture)).Append(i % 3 == 0 ? "\r\n" : "\n");
        foreach (int block in new[] { 16, 99, 1 << 21 })
        {
            var e = Assert.Throws<InputFormatException>(() => LogitTable.Read(new StringReader(sb.ToString()), "s.csv", "y", [], null, new ReadOptions { BlockChars = block }));
            Assert.Equal((433L, "x1"), (e.Line, e.Column));
            Assert.Contains("(first on line 2)", e.Message);
        }
    }

    [Fact]
    public void CutPoints_AreAfterALineBreakOutsideQuotes()
    {
        Assert.Equal(4, Data.DelimitedBlocks.LastBoundary("a,b\nc", atEnd: false));
        Assert.Equal(0, Data.DelimitedBlocks.LastBoundary("a,\"b\nc", atEnd: false));          // the break is quoted
        Assert.Equal(0, Data.DelimitedBlocks.LastBoundary("a,b\r", atEnd: false));             // a CR at the end may be half a CRLF
        Assert.Equal(4, Data.DelimitedBlocks.LastBoundary("a,b\rc", atEnd: false));             // a lone CR ends a row
        Assert.Equal(5, Data.DelimitedBlocks.LastBoundary("a,b\r\nc", atEnd: false));
        Assert.Equal(11, Data.DelimitedBlocks.LastBoundary("\"x\ny\",\"\"\"\"\n1", atEnd: false)); // doubled quotes count twice
        Assert.Equal(0, Data.DelimitedBlocks.LastBoundary("\"x\ny\",\"\"\"\n1", atEnd: false));
        Assert.Equal(3, Data.DelimitedBlocks.FirstBoundary("a\r\nb\n", atEnd: false));
        Assert.Equal(-1, Data.DelimitedBlocks.FirstBoundary("a\r", atEnd: false));
        Assert.Equal(2, Data.DelimitedBlocks.FirstBoundary("a\r", atEnd: true));
    }

    /// <summary>Random tables and block sizes: the result never depends on where the blocks are cut.</summary>
    [Property(MaxTest = 60)]
    [Trait("Category", "FastPath")]
    public Property AnyBlockSize_GivesTheSameTable() => Prop.ForAll(
        Gen.Choose(1, 120).SelectMany(rows => Gen.Choose(0, 10_000).SelectMany(seed => Gen.Choose(16, 600).Select(block => (rows, seed, block)))).ToArbitrary(),
        c =>
        {
            var (text, rows) = Table(c.rows, c.seed);
            var t = Read(text, c.block);
            return t.Outcome.SequenceEqual(rows.Select(r => (double)r.Y)) && t.Data.Numeric("x").SequenceEqual(rows.Select(r => r.X))
                && t.Data.Categorical("note").SequenceEqual(rows.Select(r => r.Note)) && t.InputRows == rows.Count;
        });
}
