using System.Text;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The block-parallel journeys read (<see cref="Readers.JourneySet(TextReader, string, ReadOptions?)"/> cuts the text
/// into blocks parsed on every core) against the sequential record reader (<see cref="Readers.Journeys(TextReader, string, ReadOptions?)"/>,
/// one Sep pass with its own line count): small blocks put the cuts inside quoted fields with line breaks, between a
/// CR and its LF and inside values, and the rows, codes, lines, rejected rows and errors must not change.
/// </summary>
public class JourneyBlockTests
{
    internal const string Header = "client_id,area,journey_start,journey_end,exit_reason,age,sex,ethnicity";
    private static readonly ReadOptions Exclude = new() { OnBadRows = BadRowPolicy.Exclude };

    /// <summary>
    /// Random journeys: quoted characteristics with commas, doubled quotes and line breaks of every kind (LF, CRLF, a
    /// lone CR), rows ending in LF, CRLF or CR, blank lines, repeated clients; with <paramref name="bad"/>, rows that do
    /// not parse (bad dates, text ages, blank client ids, ragged rows).
    /// </summary>
    internal static string Csv(int seed, int rows, bool bad, Func<int, string, string>? edit = null)
    {
        var rng = new Random(seed);
        string[] ends = ["\n", "\r\n", "\r"];
        var sb = new StringBuilder(Header).Append("\r\n");
        string[] areas = ["P1", "C1", "P2", "C2", "X9"];
        string[] ethnicity = ["White", "\"Mixed, other\"", "\"Asian\nBritish\"", "\"a \"\"quoted\"\"\r\nlong\rvalue\"", ""];
        for (int i = 0; i < rows; i++)
        {
            if (rng.Next(25) == 0 && sb[^1] != '\r') sb.Append('\n'); // a blank line (after a CR it would make a CRLF)
            var start = new DateOnly(2007, 1, 1).AddDays(rng.Next(1800));
            string end = rng.Next(4) == 0 ? "" : start.AddDays(rng.Next(-20, 400)).ToString("yyyy-MM-dd");
            string exit = rng.Next(3) == 0 ? "" : rng.Next(1, 30).ToString();
            string age = rng.Next(20) == 0 ? "" : rng.Next(-1, 70).ToString();
            string startText = start.ToString("yyyy-MM-dd");
            if (bad && rng.Next(25) == 0) startText = "2010-13-01";
            if (bad && rng.Next(40) == 0) age = rng.Next(2) == 0 ? "x" : "99999999999";
            string client = $"c{rng.Next(Math.Max(1, rows / 3))}";
            if (bad && rng.Next(50) == 0) client = "";
            var row = $"{client},{areas[rng.Next(areas.Length)]},{startText},{end},{exit},{age},{(rng.Next(2) == 0 ? "M" : "F")},{ethnicity[rng.Next(ethnicity.Length)]}";
            if (bad && rng.Next(60) == 0) row += ",extra";
            sb.Append(edit is null ? row : edit(i, row)).Append(ends[rng.Next(3)]);
        }
        return sb.ToString();
    }

    private static JourneySet Columns(string text, int block, ReadOptions? options = null) =>
        Readers.JourneySet(new StringReader(text), "j.csv", (options ?? ReadOptions.Default) with { BlockChars = block });

    /// <summary>The set equals the records: every row's fields, characteristics and line, and the rejected rows.</summary>
    private static void AssertSame(RecordSet<Journey> records, JourneySet set)
    {
        Assert.Equal(records.Records.Count, set.Count);
        Assert.Equal(records.Rejected, set.Rejected);
        Assert.Equal(records.InputRows, set.InputRows);
        var clients = new Dictionary<string, int>();
        for (int i = 0; i < set.Count; i++)
        {
            Journey a = records.Records[i], b = set[i];
            Assert.Equal(a with { Characteristics = b.Characteristics }, b);
            Assert.Equal(a.Characteristics.OrderBy(kv => kv.Key), b.Characteristics.OrderBy(kv => kv.Key));
            // client codes in order of first appearance in the file, wherever the blocks were cut
            if (!clients.TryGetValue(a.ClientId, out int code)) clients[a.ClientId] = code = clients.Count;
            Assert.Equal(code, set.Table.ClientCode(i));
        }
        Assert.Equal(clients.Count, set.Table.ClientCount);
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void Columns_EqualRecords_WhereverTheBlocksAreCut()
    {
        foreach (bool bad in new[] { false, true })
        {
            var text = Csv(bad ? 7 : 5, 400, bad);
            var records = Readers.Journeys(new StringReader(text), "j.csv", Exclude);
            if (bad) Assert.NotEmpty(records.Rejected);
            // every size from 16 to 90 characters puts a cut at almost every kind of place at least once
            foreach (int block in Enumerable.Range(16, 75).Concat([257, 1000, 4096, 1 << 21]))
                AssertSame(records, Columns(text, block, Exclude));
        }
    }

    /// <summary>Random files and block sizes: the columns never depend on where the blocks are cut.</summary>
    [Property(MaxTest = 40)]
    [Trait("Category", "FastPath")]
    public Property AnyBlockSize_GivesTheRecords() => Prop.ForAll(
        Gen.Choose(0, 150).SelectMany(rows => Gen.Choose(0, 10_000).SelectMany(seed => Gen.Choose(16, 700).Select(block => (rows, seed, block)))).ToArbitrary(),
        c =>
        {
            var text = Csv(c.seed, c.rows, bad: c.seed % 2 == 0);
            AssertSame(Readers.Journeys(new StringReader(text), "j.csv", Exclude), Columns(text, c.block, Exclude));
        });

    [Fact]
    [Trait("Category", "FastPath")]
    public void StopMode_TheFirstBadLineWins_WhenLaterBlocksAlsoHaveErrors()
    {
        // bad rows at 120 (a text age), 121 and 300 (bad dates): with small blocks the next rows' blocks are parsed at
        // the same time by the other worker, and their errors must not win
        var text = Csv(11, 400, bad: false, (i, row) => i is 121 or 300 ? row.Replace(",20", ",20x") : i == 120 ? ReplaceField(row, 5, "old") : row);
        var expected = Assert.Throws<InputFormatException>(() => Readers.Journeys(new StringReader(text), "j.csv"));
        Assert.Equal("age", expected.Column);
        foreach (int block in Enumerable.Range(16, 75).Concat([257, 1000, 1 << 21]))
        {
            var e = Assert.Throws<InputFormatException>(() => Columns(text, block));
            Assert.Equal((expected.Line, expected.Column, expected.Message), (e.Line, e.Column, e.Message));
        }
        // in the exclude mode both are set aside, each with its physical line
        var records = Readers.Journeys(new StringReader(text), "j.csv", Exclude);
        Assert.Equal(3, records.Rejected.Count);
        foreach (int block in new[] { 16, 40, 100, 1 << 21 }) AssertSame(records, Columns(text, block, Exclude));
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void AnUnclosedQuote_StopsTheRunInBothModes_UnlessABadRowComesFirst()
    {
        var good = Csv(12, 300, bad: false);
        var unclosed = good + "c1,P1,2010-01-01,,,30,M,\"never closed\nc2,P1,2010-01-01,,,30,M,x\n";
        long opened = 2 + DelimitedBlocks.Breaks(good) - 1;
        foreach (var options in new[] { ReadOptions.Default, Exclude })
        {
            var expected = Assert.Throws<InputFormatException>(() => Readers.Journeys(new StringReader(unclosed), "j.csv", options));
            Assert.Equal(opened, expected.Line);
            foreach (int block in new[] { 16, 64, 999, 1 << 21 })
            {
                var e = Assert.Throws<InputFormatException>(() => Columns(unclosed, block, options));
                Assert.Equal((expected.Line, expected.Message), (e.Line, e.Message));
                Assert.Contains("never closed", e.Message);
            }
        }
        // a bad row before the quote is the first error in the stop mode
        var badFirst = Csv(12, 300, bad: false, (i, row) => i == 40 ? ReplaceField(row, 2, "2010-02-30") : row) + "c1,P1,2010-01-01,,,30,M,\"never closed\n";
        foreach (int block in new[] { 16, 64, 1 << 21 })
        {
            var e = Assert.Throws<InputFormatException>(() => Columns(badFirst, block));
            Assert.Equal("journey_start", e.Column);
            Assert.Equal(Assert.Throws<InputFormatException>(() => Readers.Journeys(new StringReader(badFirst), "j.csv")).Line, e.Line);
        }
    }

    [Fact]
    [Trait("Category", "FastPath")]
    public void EveryRow_IsInACellOrInTheLedger_WhateverTheBlocks()
    {
        var design = DesignFile.Load(CliTests.Fixture("demo", "design.json")) with { Covariates = CovariateSpec.None };
        var lines = File.ReadAllLines(CliTests.Fixture("demo", "journeys.csv"));
        // bad rows spread over the file, so that they fall in different blocks
        for (int i = 1; i < lines.Length; i += 997) lines[i] = ReplaceField(lines[i], 2, "not a date");
        var text = string.Join("\r\n", lines) + "\n";
        long rows = lines.Length - 1;
        var reference = Evaluator.Journeys(design, Readers.Journeys(new StringReader(text), "j.csv", Exclude));
        foreach (int block in new[] { 4096, 65_536, 1 << 21 })
        {
            var set = Columns(text, block, Exclude);
            Assert.Equal(rows, set.InputRows);
            Assert.NotEmpty(set.Rejected);
            var result = Evaluator.Journeys(design, set);
            foreach (var analysis in result.Exclusions.Analyses)
            {
                var outcome = analysis.Split('/')[0];
                bool post = analysis.EndsWith("/post", StringComparison.Ordinal);
                long inCells = result.Pairs.Sum(p => p.Outcomes[outcome].CellRows is var c
                    ? post ? c.PilotPost.N + c.ComparisonPost.N : c.PilotPre.N + c.ComparisonPre.N : 0);
                Assert.Equal(rows, result.Exclusions.InputRows(analysis));
                Assert.Equal(rows, inCells + result.Exclusions.ExcludedRows(analysis));
            }
            Assert.Equal(reference.ToString(), result.ToString());
            Assert.Equal(reference.Exclusions.Entries.Select(e => (e.Analysis, e.Reason, e.Rows, string.Join(",", e.Lines))),
                result.Exclusions.Entries.Select(e => (e.Analysis, e.Reason, e.Rows, string.Join(",", e.Lines))));
        }
    }

    private static string ReplaceField(string row, int field, string value)
    {
        var parts = row.Split(',');
        parts[field] = value;
        return string.Join(",", parts);
    }
}
