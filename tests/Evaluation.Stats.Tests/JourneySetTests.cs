using System.Text;
using Evaluation.Stats.Data;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The columnar journeys reader (<see cref="Readers.JourneySet(TextReader, string, ReadOptions?)"/>) against the record
/// reader: the same rows, fields, characteristics, source lines and rejected rows; and the evaluation of the columns
/// equals that of the records.
/// </summary>
public class JourneySetTests
{

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void Columns_EqualRecords(int seed, bool bad)
    {
        var text = JourneyBlockTests.Csv(seed, 600, bad); // quoted fields with commas and line breaks, LF, CRLF and CR rows
        var options = new ReadOptions { OnBadRows = BadRowPolicy.Exclude };
        var records = Readers.Journeys(new StringReader(text), "t.csv", options);
        var set = Readers.JourneySet(new StringReader(text), "t.csv", options);
        Assert.Equal(records.Records.Count, set.Count);
        Assert.Equal(records.InputRows, set.InputRows);
        Assert.Equal(records.Rejected, set.Rejected);
        if (bad) Assert.NotEmpty(set.Rejected);
        Assert.Equal(["sex", "ethnicity"], set.CharacteristicNames);
        for (int i = 0; i < set.Count; i++)
        {
            Journey a = records.Records[i], b = set[i];
            Assert.Equal(a with { Characteristics = b.Characteristics }, b);
            Assert.Equal(a.Characteristics.OrderBy(kv => kv.Key), b.Characteristics.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void StopMode_SameErrorAsRecords()
    {
        var text = JourneyBlockTests.Header + "\na,P1,2010-01-01,,,30,M,\nb,P1,2010-02-30,,,30,M,\n";
        var a = Assert.Throws<InputFormatException>(() => Readers.Journeys(new StringReader(text), "t.csv"));
        var b = Assert.Throws<InputFormatException>(() => Readers.JourneySet(new StringReader(text), "t.csv"));
        Assert.Equal(a.Message, b.Message);
        Assert.Equal(3, b.Line);
    }

    [Fact]
    public void Evaluation_OfColumns_EqualsRecords()
    {
        var design = DesignFile.Load(CliTests.Fixture("demo", "design.json"));
        var path = CliTests.Fixture("demo", "journeys.csv");
        var records = Evaluator.Journeys(design, Readers.Journeys(path));
        var columns = Evaluator.Journeys(design, Readers.JourneySet(path));
        Assert.Equal(records.ToString(), columns.ToString());
        Assert.Equal(records.Exclusions.Entries.Select(e => (e.Analysis, e.Reason, e.Rows, string.Join(",", e.Lines))),
            columns.Exclusions.Entries.Select(e => (e.Analysis, e.Reason, e.Rows, string.Join(",", e.Lines))));
        foreach (var (name, status) in records.Classifications) Assert.Equal(status, columns.Classifications[name]);
        foreach (var pair in records.Pairs)
            foreach (var (outcome, r) in pair.Outcomes)
            {
                var c = columns.Pairs.First(p => p.Name == pair.Name).Outcomes[outcome];
                Assert.Equal(r.Adjusted?.LogOdds, c.Adjusted?.LogOdds);
                Assert.Equal(r.Adjusted?.StdError, c.Adjusted?.StdError);
            }
        Assert.Equal(records.WildBootstrap.Select(w => w.Value.Bootstrap?.PValue), columns.WildBootstrap.Select(w => w.Value.Bootstrap?.PValue));
    }

    [Fact]
    public void ReferencePath_OnReadColumns_EqualsFastPath()
    {
        var design = DesignFile.Load(CliTests.Fixture("demo", "design.json"));
        var set = Readers.JourneySet(CliTests.Fixture("demo", "journeys.csv"));
        var fast = Evaluator.Journeys(design, set, Regression.Implementation.Fast);
        var reference = Evaluator.Journeys(design, set, Regression.Implementation.Reference);
        foreach (var (name, status) in reference.Classifications) Assert.Equal(status, fast.Classifications[name]);
        Assert.Equal(reference.Exclusions.ToString(), fast.Exclusions.ToString());
    }
}
