// The evaluation report: `dotnet run docs/examples/report.cs [DIR]` writes DIR/report/index.html, report.md,
// charts/ and tables/ (as `evalstats report` does).
#:property PublishAot=false
#:project ../../src/Evaluation.Stats.Data/Evaluation.Stats.Data.csproj
#:project ../../src/Evaluation.Stats.Reporting/Evaluation.Stats.Reporting.csproj

using Evaluation.Stats;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.Reporting;

var dir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "evalstats-example");
if (!File.Exists(Path.Combine(dir, "design.json"))) SyntheticData.Generate().WriteTo(dir);

var design = DesignFile.Load(Path.Combine(dir, "design.json"));
var journeys = Evaluator.Journeys(design, Readers.Journeys(Path.Combine(dir, "journeys.csv")));
var referrals = Evaluator.Referrals(design, Readers.Referrals(Path.Combine(dir, "referrals.csv")),
    Readers.Pickups(Path.Combine(dir, "pickups.csv")).Records);

Report report = EvaluationReport.Build(new EvaluationReportInput(design)
{
    Journeys = journeys,
    Referrals = referrals,
    Title = "Synthetic pilots: evaluation report",
});
var written = report.WriteTo(Path.Combine(dir, "report"), overwrite: true);
Console.WriteLine($"{written.Count} files; open {written[0]}");
