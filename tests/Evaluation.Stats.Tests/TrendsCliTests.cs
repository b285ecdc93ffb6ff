using System.Text.Json.Nodes;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Trends;

namespace Evaluation.Stats.Tests;

/// <summary><c>evalstats trends</c> (cli.md), the trend DataFrames and the trend charts.</summary>
public class TrendsCliTests
{
    private static readonly string Demo = Path.Combine(AppContext.BaseDirectory, "fixtures", "demo");
    private static readonly string Series = Path.Combine(AppContext.BaseDirectory, "fixtures", "trends", "series");

    [Fact]
    public void Trends_Json_FollowsTheContract_AndAgreesWithTheLibrary()
    {
        var (code, stdout, stderr) = CliTests.Run("trends", "--journeys", Path.Combine(Demo, "journeys.csv"), "--design", Path.Combine(Demo, "design.json"), "--json");
        Assert.True(code == 0, stderr);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("quarter", (string)json["interval"]!);
        var pair = json["pairs"]![0]!;
        var series = pair["series"]!.AsArray();
        Assert.Equal(14 * 2, series.Count);
        var first = series[0]!;
        Assert.Equal("2007-10-01", (string)first["interval"]!);
        Assert.Equal("pilot", (string)first["arm"]!);
        foreach (var key in new[] { "newJourneys", "inTreatment" }) Assert.NotNull(first[key]);
        foreach (var o in TrendSeries.Outcomes) { Assert.NotNull(first[o]!["n"]); Assert.NotNull(first[o]!["events"]); }
        foreach (var block in new[] { "preTrend", "placebo" })
            foreach (var o in TrendSeries.Outcomes)
                foreach (var f in new[] { "estimate", "stdError", "pValue" }) Assert.NotNull(pair[block]![o]![f]);
        var study = pair["eventStudy"]!["effectiveTreatment"]!.AsArray();
        Assert.Equal(14, study.Count);
        Assert.True((bool)study.Single(x => (string)x!["interval"]! == "2009-01-01")!["reference"]!);
        Assert.NotNull(study[13]!["ciLower"]);

        // The same numbers as the library.
        var design = Data.DesignFile.Load(Path.Combine(Demo, "design.json"));
        var analysis = Trends.Trends.Analyze(design, Data.Readers.Journeys(Path.Combine(Demo, "journeys.csv")));
        var expected = analysis.Pairs[0].Outcomes["effectiveTreatment"].PreTrend!;
        Assert.Equal(expected.Estimate, (double)pair["preTrend"]!["effectiveTreatment"]!["estimate"]!);
        Assert.Equal(analysis.Pairs[0].Series[0].InTreatment, (long)first["inTreatment"]!);
        Assert.Equal(analysis.Exclusions.Entries.Count, json["exclusions"]!.AsArray().Count);
        Assert.Contains(json["exclusions"]!.AsArray(), e => (string)e!["analysis"]! == "effectiveTreatment/2008-01-01");
    }

    [Fact]
    public void Trends_Text_HasTheSeries_TheChecks_AndTheTable74Layout()
    {
        var (code, stdout, stderr) = CliTests.Run("trends", "--journeys", Path.Combine(Demo, "journeys.csv"), "--design", Path.Combine(Demo, "design.json"), "--interval", "fiscalYear");
        Assert.True(code == 0, stderr);
        Assert.Contains("site 1: series by fiscalYear", stdout);
        Assert.Contains("pre-trend: absent", stdout);
        Assert.Contains("pre-trend test absent: 1 interval(s)", stdout);
        Assert.Contains("New journeys by fiscal year (report Table 7.4 layout)", stdout);
        Assert.Contains("index (first = 100)", stdout);
        // The first fiscal year of each arm is the index's base.
        Assert.Matches(@"site 1\s+pilot\s+07-08\s+[\d,]+\s+100\.0", stdout);
        Assert.Contains("Exclusions", stdout);
    }

    [Fact]
    public void Trends_Month_SaysEffectiveTreatmentIsUndefined_AndJsonHasNulls()
    {
        var (code, stdout, _) = CliTests.Run("trends", "--journeys", Path.Combine(Series, "journeys.csv"), "--design", Path.Combine(Series, "design.json"), "--interval", "month", "--json");
        Assert.Equal(0, code);
        var json = JsonNode.Parse(stdout)!;
        Assert.Null(json["pairs"]![0]!["series"]![0]!["effectiveTreatment"]);
        Assert.Contains(json["warnings"]!.AsArray(), w => ((string)w!).Contains("shorter than D = 83", StringComparison.Ordinal));
    }

    [Fact]
    public void Trends_BadInterval_IsAUsageError()
    {
        var (code, _, stderr) = CliTests.Run("trends", "--journeys", Path.Combine(Demo, "journeys.csv"), "--design", Path.Combine(Demo, "design.json"), "--interval", "week");
        Assert.Equal(2, code);
        Assert.Contains("week", stderr);
    }

    [Fact]
    public void Trends_Plots_WritesDecodablePngAndSvgCharts()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"evalstats-trends-{Guid.NewGuid():N}");
        try
        {
            var (code, _, stderr) = CliTests.Run("trends", "--journeys", Path.Combine(Series, "journeys.csv"), "--design", Path.Combine(Series, "design.json"), "--plots", dir);
            Assert.True(code == 0, stderr);
            var png = File.ReadAllBytes(Path.Combine(dir, "series-north-newJourneys.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            var svg = System.Xml.Linq.XDocument.Parse(File.ReadAllText(Path.Combine(dir, "series-north-newJourneys.svg")));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Contains("pilot start 2008-07-01", svg.ToString());
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Charts_FromTheApi_SeriesAndEventStudy_DecodeAndShowWhatTheyClaim()
    {
        var data = Data.Synthetic.SyntheticData.Generate(3, 300);
        var analysis = Trends.Trends.Analyze(data.Design, new RecordSet<Journey>(data.Journeys));
        var series = TrendCharts.Series(analysis.Series, data.Design.Study, 1, "effectiveTreatment", ChartFormat.Svg);
        var text = System.Text.Encoding.UTF8.GetString(series.Bytes.Span);
        System.Xml.Linq.XDocument.Parse(text);
        foreach (var label in new[] { "pre window", "post window", "pilot start 2009-04-01", "pilot", "comparison", "site 2: effectiveTreatment by quarter" })
            Assert.Contains(label, text);
        var es = TrendCharts.EventStudy(analysis.Pairs[1].Outcomes["effectiveTreatment"].EventStudy!, data.Design.Study, "site 2", "effectiveTreatment", ChartFormat.Png, 640, 400);
        var png = es.Bytes.ToArray();
        Assert.Equal(640, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal("eventStudy-site-2-effectiveTreatment", es.Name);
        Assert.Throws<ArgumentException>(() => TrendCharts.Series(analysis.Series, data.Design.Study, 1, "nonsense"));
        // 6 pairs x (5 measures + 3 event studies).
        Assert.Equal(48, TrendCharts.All(analysis, data.Design.Study, ChartFormat.Svg).Count);
    }

    [Fact]
    public void DataFrames_HoldTheSeries_TheEstimates_AndTable74()
    {
        var design = Data.DesignFile.Load(Path.Combine(Series, "design.json"));
        var journeys = Data.Readers.Journeys(Path.Combine(Series, "journeys.csv"));
        var analysis = Trends.Trends.Analyze(design, journeys);
        var frame = analysis.Series.ToDataFrame();
        Assert.Equal(analysis.Series.Points.Count, (int)frame.Rows.Count);
        var p = analysis.Series.Points[3];
        Assert.Equal(p.InTreatment, (long)frame["inTreatment"][3]);
        Assert.Equal(p.SuccessfulCompletion.N, (long)frame["successfulCompletionN"][3]);
        Assert.Equal(p.Interval.Name, (string)frame["interval"][3]);
        var estimates = analysis.ToDataFrame();
        Assert.Equal(new[] { "pair", "outcome", "model", "interval", "estimate", "stdError", "zValue", "pValue", "ciLower", "ciUpper" }, estimates.Columns.Select(c => c.Name));
        int expectedRows = analysis.Pairs.Sum(x => x.Outcomes.Values.Sum(o => (o.PreTrend is null ? 0 : 1) + (o.Placebo is null ? 0 : 1) + (o.EventStudy?.Coefficients.Count ?? 0)));
        Assert.Equal(expectedRows, (int)estimates.Rows.Count);
        var table = NewJourneyTable.Compute(design, journeys.Records);
        var tf = table.ToDataFrame();
        Assert.Equal(table.Count, (int)tf.Rows.Count);
        Assert.Equal(100.0, (double)tf["index"][0]!);
    }

    [Fact]
    public void Table74_CountsNewJourneysByFiscalYear_IndexedToTheFirst()
    {
        // Fixture journeys: fiscal year 2007-08 (Apr 2007 - Mar 2008), north pilot P1 starts: a (2007-11-20, 2008-02-10) and b (2008-01-01);
        // 2008-09: k is a data error (exit without end), o (2009-01-10). So 3 then 1: index 33.3.
        var design = Data.DesignFile.Load(Path.Combine(Series, "design.json"));
        var rows = NewJourneyTable.Compute(design, Data.Readers.Journeys(Path.Combine(Series, "journeys.csv")).Records);
        var north = rows.Where(r => r.Pair == "north" && r.Arm == Group.Pilot).ToArray();
        Assert.Equal(new long[] { 3, 1 }, north.Select(r => r.NewJourneys));
        Assert.Equal(100.0 / 3, north[1].Index!.Value, 1e-12);
        // a's first journey lasted 42 days and completed (code 1): completed early; a's second (110 days) and b (open) retained.
        Assert.Equal((2L, 1L), (north[0].Retained, north[0].CompletedEarly));
        // o: 79 days, completed (code 1).
        Assert.Equal((0L, 1L), (north[1].Retained, north[1].CompletedEarly));
        Assert.Contains("index (first = 100)", NewJourneyTable.Format(rows));
    }
}
