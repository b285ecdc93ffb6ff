using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;
using Microsoft.Data.Analysis;

namespace Evaluation.Stats.Tests;

public class ReaderTests
{
    private const string Header = "client_id,area,journey_start,journey_end,exit_reason,age,ethnicity";

    private static RecordSet<Journey> Read(string text, ReadOptions? options = null) =>
        Readers.Journeys(new StringReader(text), "test.csv", options);

    [Fact]
    public void Csv_QuotedCommasAndNewlines_BomAndCrlf()
    {
        var text = "\uFEFF" + Header + "\r\n\"a,1\",P1,2010-01-01,,,30,\"White\nBritish\"\r\nb,P1,2010-02-01,2010-03-01,1,40,\r\n";
        var set = Read(text);
        Assert.Equal(2, set.Records.Count);
        Assert.Equal("a,1", set.Records[0].ClientId);
        Assert.Equal("White\nBritish", set.Records[0].Characteristics["ethnicity"]);
        Assert.Null(set.Records[1].Characteristics["ethnicity"]);
        Assert.Equal(2, set.Records[0].SourceLine);
        Assert.Equal(4, set.Records[1].SourceLine); // the quoted newline makes row 1 span lines 2-3
        Assert.Equal(new DateOnly(2010, 3, 1), set.Records[1].End);
        Assert.Equal(1, set.Records[1].ExitReason);
    }

    [Fact]
    public void Csv_RaggedRow_NamesLine()
    {
        var e = Assert.Throws<InputFormatException>(() => Read(Header + "\na,P1,2010-01-01,,,30,x\nb,P1,2010-01-01,,30\n"));
        Assert.Equal(3, e.Line);
        Assert.Contains("5 fields but the header has 7", e.Message);
        Assert.StartsWith("test.csv, line 3", e.Message);
    }

    [Fact]
    public void Csv_BadNumber_NamesLineAndColumn_OrIsExcluded()
    {
        var text = Header + "\na,P1,2010-01-01,,,30,x\nb,P1,2010-01-01,,x1,30,x\n";
        var e = Assert.Throws<InputFormatException>(() => Read(text));
        Assert.Equal((3L, "exit_reason"), (e.Line, e.Column));
        var set = Read(text, new ReadOptions { OnBadRows = BadRowPolicy.Exclude });
        Assert.Single(set.Records);
        var bad = Assert.Single(set.Rejected);
        Assert.Equal((3L, "exit_reason"), (bad.Line, bad.Column));
        Assert.Equal(2, set.InputRows);
    }

    [Fact]
    public void Csv_EmptyFile_HeaderOnly_DuplicateColumn()
    {
        Assert.Contains("empty", Assert.Throws<InputFormatException>(() => Read("")).Message);
        Assert.Empty(Read(Header + "\n").Records);
        var dup = Assert.Throws<InputFormatException>(() => Read(Header + ",age\n"));
        Assert.Equal("age", dup.Column);
    }

    [Fact]
    public void Csv_MappedColumns()
    {
        var options = new ReadOptions { Columns = ReadOptions.ParseColumnMap("client_id=id, age=years") };
        var set = Read("id,area,journey_start,journey_end,exit_reason,years\na,P1,2010-01-01,,,30\n", options);
        Assert.Equal(30, set.Records[0].Age);
        Assert.Throws<ArgumentException>(() => ReadOptions.ParseColumnMap("client_id"));
        var missing = Assert.Throws<InputFormatException>(() => Read("id,area\n", options));
        Assert.Equal(1, missing.Line);
    }

    [Fact]
    public void DataFrame_ReadsTypedColumns_AndReportsRows()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("client_id", ["a", "b"]),
            new StringDataFrameColumn("area", ["P1", "C1"]),
            new PrimitiveDataFrameColumn<DateTime>("journey_start", [new DateTime(2010, 1, 1), new DateTime(2010, 2, 1)]),
            new PrimitiveDataFrameColumn<DateTime>("journey_end", [null, new DateTime(2010, 5, 1)]),
            new PrimitiveDataFrameColumn<int>("exit_reason", [null, 2]),
            new PrimitiveDataFrameColumn<int>("age", [30, 17]),
            new StringDataFrameColumn("sex", ["M", null]));
        var set = Readers.Journeys(frame);
        Assert.Equal(2, set.Records.Count);
        Assert.Null(set.Records[0].End);
        Assert.Equal(new DateOnly(2010, 5, 1), set.Records[1].End);
        Assert.Equal(2, set.Records[1].ExitReason);
        Assert.Null(set.Records[1].Characteristics["sex"]);
        Assert.Equal(2, set.Records[1].SourceLine);

        var bad = new DataFrame(
            new StringDataFrameColumn("client_id", ["a"]), new StringDataFrameColumn("area", ["P1"]),
            new StringDataFrameColumn("journey_start", ["01/02/2010"]), new StringDataFrameColumn("journey_end", [null]),
            new StringDataFrameColumn("exit_reason", [null]), new StringDataFrameColumn("age", ["30"]));
        var e = Assert.Throws<InputFormatException>(() => Readers.Journeys(bad, sourceName: "frame"));
        Assert.Equal((1L, "journey_start"), (e.Line, e.Column));
    }

    [Fact]
    public void DesignFile_UnknownProperty_And_BadWindows_AreErrors()
    {
        const string ok = """{ "periods": { "pre": { "start": "2007-10-01", "end": "2009-03-31" }, "post": { "start": "2009-10-01", "end": "2011-03-31" } }, "pairs": [ { "name": "s", "pilot": ["P"], "comparison": ["C"] } ] }""";
        var d = DesignFile.Parse(ok, "d.json");
        Assert.Equal(83, d.Rules.EffectiveTreatmentDays);
        Assert.Equal(42, d.FollowUpDays);
        var unknown = Assert.Throws<InputFormatException>(() => DesignFile.Parse(ok.Replace("\"pairs\"", "\"pears\": 1, \"pairs\""), "d.json"));
        Assert.Contains("pears", unknown.Message);
        var overlap = Assert.Throws<InputFormatException>(() => DesignFile.Parse(ok.Replace("2009-10-01", "2009-03-01"), "d.json"));
        Assert.Contains("overlap", overlap.Message);
        var empty = Assert.Throws<InputFormatException>(() => DesignFile.Parse(ok.Replace("\"comparison\": [\"C\"]", "\"comparison\": []"), "d.json"));
        Assert.Contains("no comparison area", empty.Message);
        var roundTrip = DesignFile.Parse(DesignFile.ToJson(d), "x");
        Assert.Equal(d.Study, roundTrip.Study);
        Assert.Equal(d.Pairs[0].Name, roundTrip.Pairs[0].Name);
    }
}

public class DataFrameLedgerTests
{
    [Fact]
    public void DataFrameRowsThatCannotBeRight_GoToTheLedger_WithTheirRowNumbers()
    {
        // Row 2 ends before it starts, row 3 has an exit reason but no end, row 4 a negative age.
        var frame = new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("client_id", ["a", "b", "c", "d"]),
            new Microsoft.Data.Analysis.StringDataFrameColumn("area", ["P", "P", "C", "C"]),
            new Microsoft.Data.Analysis.StringDataFrameColumn("journey_start", ["2010-01-01", "2010-02-01", "2010-01-01", "2008-01-01"]),
            new Microsoft.Data.Analysis.StringDataFrameColumn("journey_end", ["2010-06-01", "2010-01-15", null, "2008-05-01"]),
            new Microsoft.Data.Analysis.StringDataFrameColumn("exit_reason", ["1", "3", "3", "1"]),
            new Microsoft.Data.Analysis.StringDataFrameColumn("age", ["30", "40", "50", "-3"]));
        var journeys = Evaluation.Stats.Data.Readers.Journeys(frame);
        var status = Evaluation.Stats.Outcomes.JourneyClassifier.Classify(journeys.Records, Evaluation.Stats.Periods.StudyDesign.Dscp.Post,
            Evaluation.Stats.Outcomes.JourneyOutcome.EffectiveTreatment, Evaluation.Stats.Outcomes.JourneyRules.Default,
            [new Evaluation.Stats.Outcomes.AreaPair("s", ["P"], ["C"])]);
        Assert.Equal(Evaluation.Stats.Outcomes.ExclusionReasons.EndBeforeStart, status[1].Reason);
        Assert.Equal(Evaluation.Stats.Outcomes.ExclusionReasons.ExitReasonWithoutEnd, status[2].Reason);
        Assert.Equal(Evaluation.Stats.Outcomes.ExclusionReasons.NegativeAge, status[3].Reason);
        Assert.Equal([2L, 3L, 4L], journeys.Records.Skip(1).Select(j => j.SourceLine));
    }
}
