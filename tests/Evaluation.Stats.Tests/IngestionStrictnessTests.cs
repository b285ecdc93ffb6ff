using System.IO.Compression;
using System.Text;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Tests;

/// <summary>
/// Methodology §9, rule by rule: each test fails when its rule is broken in the ingestion layer (checked by
/// breaking the code on purpose; see the commit that added them).
/// </summary>
public class IngestionStrictnessTests
{
    private const string JourneyHeader = "client_id,area,journey_start,journey_end,exit_reason,age";
    private static readonly ReadOptions Exclude = new() { OnBadRows = BadRowPolicy.Exclude };

    private static RecordSet<Journey> Journeys(string text, ReadOptions? options = null) =>
        Readers.Journeys(new StringReader(text), "j.csv", options);

    private static LogitTable Logit(string text, ReadOptions? options = null, params string[] categorical) =>
        LogitTable.Read(new StringReader(text), "d.csv", "y", categorical, null, options);

    /// <summary>A logit table of <paramref name="rows"/> rows (y, x1, x2); <paramref name="edit"/> may change a data row (0-based).</summary>
    private static string LogitCsv(int rows, Func<int, string, string>? edit = null)
    {
        var sb = new StringBuilder("y,x1,x2\n");
        for (int i = 0; i < rows; i++)
        {
            var row = $"{i % 2},{(i * 0.37 % 5).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)},{i % 7}";
            sb.Append(edit is null ? row : edit(i, row)).Append('\n');
        }
        return sb.ToString();
    }

    // ---- Line numbers: the physical line where the row starts; header = line 1 ----

    [Fact]
    public void LineNumbers_ArePhysical_AfterQuotedLineBreaks_AndMixedLineEndings()
    {
        var text = JourneyHeader + ",note\r\na,P1,2010-01-01,,,30,\"one\r\ntwo\nthree\"\nb,P1,2010-01-01,,,30,x\rc,P1,2010-01-01,,,x,y\n";
        var e = Assert.Throws<InputFormatException>(() => Journeys(text));
        Assert.Equal((6L, "age"), (e.Line, e.Column)); // row 1 spans lines 2-4, row 2 is line 5 (CR-ended), row 3 line 6
        var set = Journeys(text, Exclude);
        Assert.Equal([2L, 5L], set.Records.Select(r => r.SourceLine));
    }

    [Fact]
    public void LineNumbers_AreExact_InTheParallelLogitRead_AtEveryRowOfABatch()
    {
        // Sep 0.17.1 reports a wrong start line for the last row of each parallel batch; every row is checked here.
        foreach (int bad in new[] { 0, 510, 511, 512, 1023, 1535, 2999 })
        {
            var text = LogitCsv(3000, (i, row) => i == bad ? "x" + row[1..] : i % 100 == 7 ? row.Replace(",", ",\"\n\",").Replace(",\"\n\",", ",") : row);
            var e = Assert.Throws<InputFormatException>(() => Logit(text));
            Assert.Equal(bad + 2, e.Line);
            Assert.Equal("y", e.Column);
        }
        // a quoted line break shifts every later line by one
        var quoted = "y,x1,note\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => i == 5 ? "1,2,\"a\nb\"\n" : i == 1800 ? "1,x,c\n" : "0,1.5,c\n"));
        var mixed = Assert.Throws<InputFormatException>(() => Logit(quoted, null, "note"));
        Assert.Equal(1800 + 2 + 1, mixed.Line);
        Assert.Equal("x1", mixed.Column);
    }

    // ---- An unclosed quote stops the run in every mode, naming the line where it opened ----

    [Fact]
    public void UnclosedQuote_AtEndOfFile_StopsInBothModes_NamingTheOpeningLine()
    {
        var text = JourneyHeader + "\na,P1,2010-01-01,,,30\n\"b,P1,2010-01-01,,,30\nc,P1,2010-01-01,,,30\nd,P1,2010-01-01,,,30\n";
        foreach (var options in new[] { ReadOptions.Default, Exclude })
        {
            var e = Assert.Throws<InputFormatException>(() => Journeys(text, options));
            Assert.Equal(3, e.Line);
            Assert.Contains("never closed", e.Message);
        }
        var logit = LogitCsv(2000, (i, row) => i == 1500 ? "\"" + row : row);
        foreach (var options in new[] { ReadOptions.Default, Exclude })
            Assert.Equal(1502, Assert.Throws<InputFormatException>(() => Logit(logit, options)).Line);
    }

    [Fact]
    public void QuoteOpenAcrossMoreThan10000Lines_Stops_EvenWhenClosedLater()
    {
        var sb = new StringBuilder(JourneyHeader + ",note\n");
        sb.Append("a,P1,2010-01-01,,,30,\"opens here\n");
        for (int i = 0; i < 10_000; i++) sb.Append("x,P1,2010-01-01,,,30,y\n");
        sb.Append("closes\"\nz,P1,2010-01-01,,,30,y\n");
        var e = Assert.Throws<InputFormatException>(() => Journeys(sb.ToString(), Exclude));
        Assert.Equal(2, e.Line);
        Assert.Contains("still open", e.Message);
        // up to 10,000 lines a quoted field is data (a long note): no error
        var ok = new StringBuilder(JourneyHeader + ",note\na,P1,2010-01-01,,,30,\"");
        for (int i = 0; i < 9_990; i++) ok.Append("line\n");
        ok.Append("end\"\nz,P1,2010-01-01,,,30,y\n");
        Assert.Equal([2L, 9993L], Journeys(ok.ToString()).Records.Select(r => r.SourceLine));
    }

    // ---- Numbers are finite ----

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    [InlineData("-2E+309")]
    public void NonFiniteNumbers_AreErrors_NamingLineAndColumn_OrDataErrorsWhenExcluding(string value)
    {
        var text = LogitCsv(1200, (i, row) => i == 700 ? $"1,{value},3" : row);
        var e = Assert.Throws<InputFormatException>(() => Logit(text));
        Assert.Equal((702L, "x1"), (e.Line, e.Column));
        Assert.StartsWith("d.csv, line 702, column 'x1':", e.Message);
        Assert.Contains("not a finite number", e.Message);
        var table = Logit(text, Exclude);
        var ledger = Assert.Single(table.Exclusions);
        Assert.Equal(ExclusionReasons.Unparseable, ledger.Reason);
        Assert.Equal([702L], ledger.Lines);
        Assert.Equal(1199, table.Outcome.Length);
        Assert.Equal(1200, table.InputRows);

        // the same rule for a design's numeric covariate in a record file
        var journeys = JourneyHeader + ",score\na,P1,2010-01-01,,,30,1.5\nb,P1,2010-01-01,,,30," + value + "\n";
        var je = Assert.Throws<InputFormatException>(() => Journeys(journeys, new ReadOptions { NumericColumns = ["score"] }));
        Assert.Equal((3L, "score"), (je.Line, je.Column));
    }

    [Fact]
    public void TheFastNumberPath_AgreesWithTheRuntimeParser()
    {
        string[] samples = ["0", "-0", "1", "+7", "0.1", "-0.000001", "123456789012345", "1234567890123456", "0.30000000000000004",
            "9007199254740993", "1.7976931348623157", ".5", "5.", "1e5", "2.5E-3", "00012.50", "999999999999999.9", "0.0000000000000000000001"];
        foreach (var s in samples)
        {
            Assert.True(Data.FieldParse.TryNumber(s, out var fast), s);
            Assert.Equal(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture), fast);
        }
        foreach (var s in new[] { "", "-", ".", "1.2.3", "1,5", "N/A", "0x10", "1 2" })
            Assert.False(Data.FieldParse.TryNumber(s, out _), s);
    }

    // ---- Counts are 64-bit, and every sum of them is checked ----

    [Fact]
    public void Counts_BeyondInt64_AndSumsThatOverflow_AreErrors()
    {
        const string header = "area,quarter_start,referred,triaged\n";
        var huge = Assert.Throws<InputFormatException>(() =>
            Readers.QuarterlyCounts(new StringReader(header + "P1,2008-01-01,99999999999999999999,1\n"), "q.csv", "referred", "triaged"));
        Assert.Equal((2L, "referred"), (huge.Line, huge.Column));
        Assert.Contains("64-bit", huge.Message);

        var design = new EvaluationDesign(StudyDesign.Dscp, [new AreaPair("s", ["P1"], ["C1"])]);
        var counts = Readers.QuarterlyCounts(new StringReader(header +
            "P1,2008-01-01,5000000000000000000,1\nP1,2008-04-01,5000000000000000000,1\nC1,2008-01-01,10,1\n" +
            "P1,2010-01-01,10,1\nC1,2010-01-01,10,1\n"), "q.csv", "referred", "triaged");
        var e = Assert.Throws<ArgumentException>(() => Evaluator.Aggregate(design, counts));
        Assert.Contains("64-bit", e.Message);
    }

    // ---- A column's type never changes silently ----

    [Fact]
    public void StrayTokenInANumericLogitColumn_IsAnError_NamingLineAndColumn()
    {
        var text = LogitCsv(1500, (i, row) => i == 1234 ? "1,N/A,3" : row);
        var e = Assert.Throws<InputFormatException>(() => Logit(text));
        Assert.Equal((1236L, "x1"), (e.Line, e.Column));
        Assert.Contains("'N/A' is not a number", e.Message);
        // excluded: only that row is set aside, and the column stays numeric
        var table = Logit(text, Exclude);
        Assert.Equal([1236L], Assert.Single(table.Exclusions).Lines);
        Assert.Contains("x1", table.Spec.Numeric);
        // named as categorical: read as text
        Assert.Contains("x1", Logit(text, null, "x1").Spec.Categorical);
        // no value a number: categorical without being named
        var words = "y,x1,x2\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i % 2},{(i % 3 == 0 ? "low" : "high")},{i}\n"));
        var w = Logit(words);
        Assert.Contains("x1", w.Spec.Categorical);
        Assert.Contains("x2", w.Spec.Numeric);
    }

    // ---- Text is UTF-8, unless an encoding is given ----

    [Fact]
    public void NonUtf8Bytes_AreAnErrorNamingTheLine_UnlessLatin1IsGiven()
    {
        var bytes = Encoding.UTF8.GetBytes(JourneyHeader + ",name\na,P1,2010-01-01,,,30,Ren\u00e9\n").Concat(
            Encoding.Latin1.GetBytes("b,P1,2010-01-01,,,30,Ren\u00e9\n")).ToArray();
        var path = CliTests.Temp("latin.csv", "");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InputFormatException>(() => Readers.Journeys(path));
        Assert.Equal(3, e.Line);
        Assert.Contains("not UTF-8", e.Message);
        Assert.Contains("--encoding latin1", e.Message);
        var latin = Readers.Journeys(path, new ReadOptions { Encoding = InputEncoding.Latin1 });
        Assert.Equal("Ren\u00e9", latin.Records[1].Characteristics["name"]);
    }

    [Fact]
    public void Utf8_SplitAcrossReadBuffers_IsAccepted_AndABadByteFarIn_GetsItsLine()
    {
        // many two-, three- and four-byte characters, so some straddle the 64 KB reads
        var sb = new StringBuilder(JourneyHeader + ",name\n");
        for (int i = 0; i < 20_000; i++) sb.Append($"c{i},P1,2010-01-01,,,30,\u00e9\u20ac\U0001F600{i}\n");
        var path = CliTests.Temp("u.csv", sb.ToString());
        Assert.Equal(20_000, Readers.Journeys(path).Records.Count);
        var bytes = File.ReadAllBytes(path).ToList();
        int at = bytes.Count - 10; // inside the last row
        bytes.Insert(at, 0xFF);
        File.WriteAllBytes(path, bytes.ToArray());
        Assert.Equal(20_001, Assert.Throws<InputFormatException>(() => Readers.Journeys(path)).Line);
    }

    // ---- Echoed values are escaped and cut ----

    [Fact]
    public void EchoedValues_HaveControlCharactersEscaped_AndAreCut()
    {
        var evil = "\u001b[31mred\u0007" + new string('z', 100);
        var e = Assert.Throws<InputFormatException>(() => Journeys(JourneyHeader + $"\na,P1,\"{evil}\",,,30\n"));
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\u0007', e.Message);
        Assert.Contains("\\x1B[31mred\\x07", e.Message);
        Assert.Contains("…", e.Message);
        Assert.True(e.Message.Length < 160, e.Message);
    }

    // ---- Other formats are named, not echoed ----

    [Fact]
    public void GzipZipWorkbookAndBinary_AreRecognised_InOneLine()
    {
        var csv = Encoding.UTF8.GetBytes(JourneyHeader + "\na,P1,2010-01-01,,,30\n");
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(csv);
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("[Content_Types].xml").Open();
            entry.Write("<Types/>"u8);
        }
        var cases = new (string Name, byte[] Bytes, string Expect)[]
        {
            ("a.csv", gz.ToArray(), "gzip"),
            ("b.csv", zip.ToArray(), "Excel workbook"),
            ("c.csv", [0x50, 0x4B, 3, 4, 20, 0, 0, 0, 8, 0, .. "data.csv"u8.ToArray()], "zip archive"),
            ("d.csv", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0, 0x1B, 0x5B, 0x32, 0x4A], "binary"),
            ("e.csv", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], ".xls"),
        };
        foreach (var (name, bytes, expect) in cases)
        {
            var path = CliTests.Temp(name, "");
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<InputFormatException>(() => Readers.Journeys(path));
            Assert.Contains(expect, e.Message);
            Assert.DoesNotContain('\n', e.Message);
            Assert.DoesNotContain('\u001b', e.Message);
        }
        var gzPath = CliTests.Temp("j.csv.gz", "");
        File.WriteAllBytes(gzPath, gz.ToArray());
        Assert.Single(Readers.Journeys(gzPath).Records);
        var notGz = CliTests.Temp("k.csv.gz", JourneyHeader + "\n");
        Assert.Contains("not gzip", Assert.Throws<InputFormatException>(() => Readers.Journeys(notGz)).Message);
    }

    // ---- Design-file values, in the project's own words, with the JSON path ----

    private const string Design = """{ "periods": { "pre": { "start": "2007-10-01", "end": "2009-03-31" }, "post": { "start": "2009-10-01", "end": "2011-03-31" } }, "pairs": [ { "name": "s", "pilot": ["P"], "comparison": ["C"] } ] }""";

    [Theory]
    [InlineData("\"pilot\": [\"P\"]", "\"pilot\": [\"P\", null]", "pairs[0].pilot[1] is null")]
    [InlineData("\"comparison\": [\"C\"]", "\"comparison\": [\" \"]", "pairs[0].comparison[0] is blank")]
    [InlineData("\"pairs\"", "\"followUpDays\": 3000000, \"pairs\"", "followUpDays is 3000000; it must be from 0 to 36,525 days")]
    [InlineData("\"pairs\"", "\"minimumAge\": -1, \"pairs\"", "minimumAge is -1")]
    [InlineData("\"pairs\"", "\"effectiveTreatmentDays\": 0, \"pairs\"", "effectiveTreatmentDays is 0")]
    [InlineData("\"pairs\"", "\"confidenceLevel\": 95, \"pairs\"", "confidenceLevel is 95")]
    [InlineData("\"pairs\"", "\"completedExitReasons\": [], \"pairs\"", "completedExitReasons is empty")]
    [InlineData("\"name\": \"s\"", "\"name\": 7", "(at pairs[0].name)")]
    [InlineData("\"pairs\"", "\"minimumAge\": \"18\", \"pairs\"", "not a whole number (at minimumAge)")]
    [InlineData("\"start\": \"2007-10-01\"", "\"start\": null", "periods.pre.start is missing")]
    [InlineData("\"pairs\"", "\"covariates\": { \"numeric\": [null] }, \"pairs\"", "covariates.numeric[0] is null")]
    public void DesignValues_AreValidated_InTheProjectsWords(string find, string replace, string expect)
    {
        var json = Design.Replace(find, replace);
        Assert.NotEqual(Design, json);
        var e = Assert.Throws<InputFormatException>(() => DesignFile.Parse(json, "d.json"));
        Assert.Contains(expect, e.Message);
        foreach (var leak in new[] { "Parameter", "System.", "Evaluation.Stats", "Dto", "cannot be null", "out of range", ".NET" })
            Assert.DoesNotContain(leak, e.Message);
    }
}
