// DataFrames in and out: `dotnet run docs/examples/dataframe.cs [DIR]`.
// In: journeys held in a Microsoft.Data.Analysis DataFrame (here loaded from the demo CSV as text columns).
// Out: every result as a DataFrame (cells and DiDs, adjusted models, the exclusion ledger with its line numbers).
#:property PublishAot=false
#:project ../../src/Evaluation.Stats.Data/Evaluation.Stats.Data.csproj
#:project ../../src/Evaluation.Stats.Reporting/Evaluation.Stats.Reporting.csproj

using Evaluation.Stats;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Reporting;
using Microsoft.Data.Analysis;

var dir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "evalstats-example");
if (!File.Exists(Path.Combine(dir, "design.json"))) SyntheticData.Generate().WriteTo(dir);

// Every column as text, as it would come from a database or another frame; the reader parses and checks it.
var header = File.ReadLines(Path.Combine(dir, "journeys.csv")).First().Split(',');
DataFrame input = DataFrame.LoadCsv(Path.Combine(dir, "journeys.csv"), dataTypes: header.Select(_ => typeof(string)).ToArray());
var design = DesignFile.Load(Path.Combine(dir, "design.json"));
var result = Evaluator.Journeys(design, Readers.Journeys(input, sourceName: "journeys frame"));

DataFrame dids = result.ToDataFrame();
var effective = dids.Filter(dids["outcome"].ElementwiseEquals("effectiveTreatment"));
Console.WriteLine(Select(effective, "pair", "did", "didCiLower", "didCiUpper", "didPValue", "adjustedOddsRatio"));
Console.WriteLine(result.ToCellsDataFrame().Head(4));
Console.WriteLine(Select(result.Exclusions.ToDataFrame(), "analysis", "reason", "rows").Head(6));
Console.WriteLine($"data-error lines: {result.Exclusions.ToLinesDataFrame().Rows.Count}");

static DataFrame Select(DataFrame frame, params string[] columns) => new(columns.Select(c => frame.Columns[c].Clone()));
