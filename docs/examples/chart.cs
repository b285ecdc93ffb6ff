// A chart as PNG and SVG bytes: `dotnet run docs/examples/chart.cs [DIR]`.
#:property PublishAot=false
#:project ../../src/Evaluation.Stats.Reporting/Evaluation.Stats.Reporting.csproj

using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Reporting;

var dir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "evalstats-example");
// Published cells only (n, events per cell) are enough for the DiD and its chart.
DidResult[] pairs =
[
    DidEstimator.Estimate("site A", new PairCells(new Cell(420, 330), new Cell(510, 455), new Cell(430, 350), new Cell(480, 400))),
    DidEstimator.Estimate("site B", new PairCells(new Cell(380, 300), new Cell(400, 350), new Cell(390, 310), new Cell(410, 330))),
];
foreach (var format in new[] { ChartFormat.Png, ChartFormat.Svg })
{
    ChartImage image = CellBarsChart.Render(pairs, "cells-example", "Effective treatment", format, 800, 400);
    Console.WriteLine($"{image.WriteTo(dir)}: {image.Bytes.Length:N0} bytes");
}
Console.WriteLine(DidTable.Format(pairs));
