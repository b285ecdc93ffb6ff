// The README's flow as a .NET 10 file-based app: `dotnet run docs/examples/readme.cs [DIR]`.
// It needs journeys.csv and design.json; `evalstats demo --out DIR` writes them, and so does this example when DIR
// does not hold them yet (with the same generator), so it runs on a fresh clone.
#:property PublishAot=false
#:project ../../src/Evaluation.Stats.Data/Evaluation.Stats.Data.csproj
#:project ../../src/Evaluation.Stats.Reporting/Evaluation.Stats.Reporting.csproj

using Evaluation.Stats;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Reporting;

var dir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "evalstats-example");
if (!File.Exists(Path.Combine(dir, "design.json"))) SyntheticData.Generate().WriteTo(dir);

EvaluationDesign design = DesignFile.Load(Path.Combine(dir, "design.json"));
EvaluationResult result = Evaluator.Journeys(design, Readers.Journeys(Path.Combine(dir, "journeys.csv")));
var did = result.Pairs.Select(p => p.Outcomes[OutcomeNames.EffectiveTreatment].Did).ToList();
Console.WriteLine(DidTable.Format(did));                       // the report's DiD table, in percentage points
Console.WriteLine(result.Pairs[0].Outcomes[OutcomeNames.EffectiveTreatment].Adjusted); // with the design's covariates
Console.WriteLine(CellBarsChart.Render(result, OutcomeNames.EffectiveTreatment).WriteTo(dir));
