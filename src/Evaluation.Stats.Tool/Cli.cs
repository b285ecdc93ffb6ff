using System.Globalization;
using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Data.Synthetic;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Regression;

namespace Evaluation.Stats.Tool;

/// <summary>Thrown for bad usage found after parsing (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The <c>evalstats</c> command line (docs/cli.md). A thin shell: every number comes from the library.
/// Exit codes: 0 success, 2 bad usage or bad input, 1 unexpected failure.
/// </summary>
public static class Cli
{
    /// <summary>Runs the tool with <paramref name="args"/>, writing to the given streams. Returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        bool verbose = args.Contains("--verbose");
        var root = Build(stdout, stderr);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"evalstats: {e.Message}");
            stderr.WriteLine("Run 'evalstats --help' for usage.");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is InputFormatException or UsageException or ArgumentException)
        {
            var message = e is ArgumentException { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "") : e.Message;
            stderr.WriteLine($"evalstats: {message}");
            if (verbose) stderr.WriteLine(e);
            return 2;
        }
        catch (OutOfMemoryException)
        {
            stderr.WriteLine($"evalstats: out of memory while reading {InputSizes(args)}: the data do not fit in this machine's memory; " +
                             "use a machine with more memory, or read fewer columns or rows");
            return 1;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("evalstats: cancelled");
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"evalstats: unexpected failure: {e.Message}");
            stderr.WriteLine(verbose ? e.ToString() : "Run again with --verbose for details.");
            return 1;
        }
    }

    /// <summary>The data inputs named in <paramref name="args"/> with their sizes, for the out-of-memory message.</summary>
    private static string InputSizes(string[] args)
    {
        string[] inputs = ["--journeys", "--referrals", "--pickups", "--counts", "--data", "--cells"];
        var named = args.Select((a, i) => (a, i)).Where(x => inputs.Contains(x.a) && x.i + 1 < args.Length).Select(x => args[x.i + 1])
            .Select(f => File.Exists(f) ? $"{f} ({new FileInfo(f).Length / 1e6:N0} MB)" : f).ToList();
        return named.Count > 0 ? string.Join(", ", named) : "the input";
    }

    private static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout (and nothing else there)." };
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors." };
        var columns = new Option<string?>("--columns") { Description = "Map column names to header names: name=header,name=header." };
        var onBadRows = new Option<string>("--on-bad-rows") { Description = "What to do with rows that do not parse: stop (default) or exclude them into the ledger.", DefaultValueFactory = _ => "stop" };
        onBadRows.AcceptOnlyFromAmong("stop", "exclude");
        var design = new Option<string>("--design") { Description = "The design file (JSON).", Required = true };

        Option<string> File(string name, string description) => new(name) { Description = description, Required = true };
        var input = new InputOptions();
        var force = new Option<bool>("--force") { Description = "Let --out overwrite existing files (never through a symbolic link)." };

        var root = new RootCommand("evalstats: difference in differences with an exclusion ledger, for evaluating changes to public services.");
        root.Add(verbose);

        // Numeric covariates must parse as numbers when read (a blank is a data error later); a journey's age is its own field.
        ReadOptions Read(ParseResult p, EvaluationDesign? d, Func<EvaluationDesign, CovariateSpec>? covariates = null, string? intrinsic = null, string what = "the data") =>
            input.Apply(p, new ReadOptions
            {
                OnBadRows = InputOptions.BadRows(p.GetValue(onBadRows)),
                Columns = ReadOptions.ParseColumnMap(p.GetValue(columns)),
                NumericColumns = d is null || covariates is null ? [] : covariates(d).Numeric.Where(n => n != intrinsic).ToArray(),
            }, stderr, what);

        Option<string> Cluster(string byDefault)
        {
            var o = new Option<string>("--cluster") { Description = $"Standard errors of the adjusted models: client (cluster-robust by client) or none (default {byDefault}).", DefaultValueFactory = _ => byDefault };
            o.AcceptOnlyFromAmong("client", "none");
            return o;
        }
        var journeysCluster = Cluster("none");
        var referralsCluster = Cluster("client");

        var journeysFile = File("--journeys", "The journeys CSV.");
        var journeys = new Command("journeys", "Effective treatment, successful completion and completions as a share of the caseload, for every pair.")
            { journeysFile, design, json, columns, onBadRows, verbose, journeysCluster };
        journeys.SetAction(p =>
        {
            var d = DesignFile.Load(p.GetValue(design)!);
            var data = Readers.JourneySet(p.GetValue(journeysFile)!, Read(p, d, x => x.Covariates, intrinsic: "age", what: p.GetValue(journeysFile)!));
            var result = Evaluator.Journeys(d, data, clusterByClient: p.GetValue(journeysCluster) == "client");
            Emit(stdout, p.GetValue(json), () => ProgrammeOutput.With(JsonOutput.RecordLevel(result, []), result), () => Text(result, []) + ProgrammeOutput.Text(result));
            return 0;
        });

        var referralsFile = File("--referrals", "The referrals CSV.");
        var pickupsFile = File("--pickups", "The pick-ups CSV.");
        var referrals = new Command("referrals", "Prison referrals picked up within the follow-up days, for every pair.")
            { referralsFile, pickupsFile, design, json, columns, onBadRows, verbose, referralsCluster };
        referrals.SetAction(p =>
        {
            var d = DesignFile.Load(p.GetValue(design)!);
            var data = Readers.Referrals(p.GetValue(referralsFile)!, Read(p, d, x => x.ReferralCovariates, what: p.GetValue(referralsFile)!));
            var pickups = Readers.Pickups(p.GetValue(pickupsFile)!, Read(p, null, what: p.GetValue(pickupsFile)!));
            var result = Evaluator.Referrals(d, data, pickups.Records, clusterByClient: p.GetValue(referralsCluster) == "client");
            var extra = PickupExclusions(pickups);
            Emit(stdout, p.GetValue(json), () => ProgrammeOutput.With(JsonOutput.RecordLevel(result, extra), result), () => Text(result, extra) + ProgrammeOutput.Text(result));
            return 0;
        });

        var countsFile = File("--counts", "The quarterly counts CSV (area, quarter_start and the two count columns).");
        var countColumn = new Option<string>("--count-column") { Description = "The base count column (the denominator).", Required = true };
        var successColumn = new Option<string>("--success-column") { Description = "The success count column (the numerator).", Required = true };
        var aggregate = new Command("aggregate", "Quarterly aggregate counts summed over the quarters wholly inside each window, for every pair.")
            { countsFile, design, countColumn, successColumn, json, columns, onBadRows, verbose };
        aggregate.SetAction(p =>
        {
            var d = DesignFile.Load(p.GetValue(design)!);
            var data = Readers.QuarterlyCounts(p.GetValue(countsFile)!, p.GetValue(countColumn)!, p.GetValue(successColumn)!, Read(p, null, what: p.GetValue(countsFile)!));
            var result = Evaluator.Aggregate(d, data);
            Emit(stdout, p.GetValue(json), () => ProgrammeOutput.With(JsonOutput.Aggregate(result), result), () => Text(result, [], aggregate: true) + ProgrammeOutput.Text(result));
            return 0;
        });

        var cellsFile = File("--cells", "A CSV of published cells: pair, group (pilot|comparison), period (pre|post), n, events.");
        var level = new Option<double>("--level") { Description = "The confidence level of the intervals.", DefaultValueFactory = _ => DidEstimator.DefaultConfidenceLevel };
        var did = new Command("did", "Difference in differences from published cell counts.") { cellsFile, level, json, verbose };
        did.SetAction(p =>
        {
            var results = Readers.Cells(p.GetValue(cellsFile)!, Read(p, null, what: p.GetValue(cellsFile)!)).Select(c => DidEstimator.Estimate(c.Pair, c.Cells, p.GetValue(level))).ToList();
            Emit(stdout, p.GetValue(json), () => JsonOutput.CellsOnly(results), () => CellsText(results));
            return 0;
        });

        var dataFile = File("--data", "The CSV to model: the outcome and every predictor column.");
        var outcomeColumn = new Option<string?>("--outcome") { Description = "The 0/1 outcome column (without --formula)." };
        var categoricalColumns = new Option<string?>("--categorical") { Description = "Columns to treat as categorical: a,b,c (without --formula)." };
        var firth = new Option<bool>("--firth") { Description = "Fit by Firth's bias-reduced likelihood." };
        var model = new Commands.ModelOptions();
        var weightsColumn = new Option<string?>("--weights") { Description = "A column of frequency weights (a row stands for that many records); not a predictor." };
        var trialsColumn = new Option<string?>("--trials") { Description = "A column of binomial trials; the outcome then holds events (0 to trials); not a predictor." };
        var offsetColumn = new Option<string?>("--offset") { Description = "A column added to the linear predictor with coefficient 1; not a predictor." };
        var linkOption = new Option<string?>("--link") { Description = "The link: logit (default), probit or cloglog." };
        var logit = new Command("logit", "A binomial regression: of a --formula's terms, or of every column other than the --outcome (and the --weights, --trials and --offset columns).")
            { dataFile, outcomeColumn, categoricalColumns, firth, weightsColumn, trialsColumn, offsetColumn, linkOption, json, columns, onBadRows, verbose };
        model.AddTo(logit);
        logit.SetAction(p =>
        {
            var spec = model.Parse(p);
            var read = Read(p, null, what: p.GetValue(dataFile)!);
            var link = LogitModelColumns.Link(p.GetValue(linkOption));
            (string? Weights, string? Trials, string? Offset) modelColumns = (p.GetValue(weightsColumn), p.GetValue(trialsColumn), p.GetValue(offsetColumn));
            if (spec.Formula is not null)
            {
                if (p.GetValue(outcomeColumn) is not null || p.GetValue(categoricalColumns) is not null)
                    throw new UsageException("--outcome and --categorical do not go with --formula: the formula names the outcome (y ~ ...) and its categorical terms (C(col))");
                return Commands.LogitFormula.Run(stdout, stderr, p.GetValue(dataFile)!, spec, p.GetValue(firth), link, modelColumns, p.GetValue(json), read);
            }
            var outcome = p.GetValue(outcomeColumn) ?? throw new UsageException("logit needs --outcome COLUMN (every other column is a predictor) or --formula \"y ~ ...\"");
            return Logit(stdout, stderr, p.GetValue(dataFile)!, outcome, p.GetValue(categoricalColumns), p.GetValue(firth), spec, link, modelColumns, p.GetValue(json), read, input.ShowProgress(p, stderr));
        });

        var outDir = new Option<string?>("--out") { Description = "Also write the synthetic data, the design and the report to this directory." };
        var demo = new Command("demo", "Run the whole evaluation on the bundled synthetic data set (a DSCP-like design).") { outDir, force, json, verbose, input.Progress };
        demo.SetAction(p => Demo(stdout, stderr, p.GetValue(outDir), p.GetValue(force), p.GetValue(json), input.ShowProgress(p, stderr)));

        foreach (var reads in new[] { journeys, referrals, aggregate, did, logit }) input.AddTo(reads);

        root.Add(journeys);
        root.Add(referrals);
        root.Add(aggregate);
        root.Add(did);
        root.Add(logit);
        root.Add(demo);
        root.Add(Commands.EconomicsCommand.Create(stdout, stderr));
        root.Add(ReportCommand.Create(stdout, stderr));
        root.Add(Commands.TrendsCommand.Create(stdout, stderr, design, json, columns, onBadRows, verbose));
        root.Add(Commands.IndicatorsCommand.Create(stdout, stderr));
        root.Add(Commands.PowerCommand.Create(stdout));
        root.Add(Commands.OlsCommand.Create(stdout, stderr, json, columns, onBadRows, verbose));
        return root;
    }

    private static int Demo(TextWriter stdout, TextWriter stderr, string? outDir, bool force, bool json, bool progress)
    {
        string[] outputs = ["journeys.csv", "referrals.csv", "pickups.csv", "quarterly.csv", "design.json", "report.json", "report.txt"];
        if (outDir is not null) OutputFiles.Prepare(outDir, outputs, force); // before any work: a bad --out fails fast
        Progress(stderr, progress, $"generating the synthetic data set (seed {SyntheticData.DemoSeed})");
        var data = SyntheticData.Generate();
        var d = data.Design;
        Progress(stderr, progress, $"classifying {data.Journeys.Count:N0} journeys");
        var journeys = Evaluator.Journeys(d, new RecordSet<Journey>(data.Journeys));
        Progress(stderr, progress, $"classifying {data.Referrals.Count:N0} referrals against {data.Pickups.Count:N0} pick-ups");
        var referrals = Evaluator.Referrals(d, new RecordSet<Referral>(data.Referrals), data.Pickups);
        Progress(stderr, progress, $"summing {data.QuarterlyCounts.Count:N0} quarterly rows");
        var aggregate = Evaluator.Aggregate(d, new RecordSet<QuarterlyCount>(data.QuarterlyCounts));

        Progress(stderr, progress, "computing the national indicators on the indicator data set");
        var indicators = Commands.IndicatorsCommand.Demo(outDir);
        var report = new JsonObject
        {
            ["journeys"] = ProgrammeOutput.With(JsonOutput.RecordLevel(journeys, []), journeys),
            ["referrals"] = ProgrammeOutput.With(JsonOutput.RecordLevel(referrals, []), referrals),
            ["aggregate"] = ProgrammeOutput.With(JsonOutput.Aggregate(aggregate), aggregate),
            ["indicators"] = indicators.Json,
        };
        var text = new StringBuilder()
            .AppendLine("Evaluation.Stats demo: synthetic DSCP-like data (six pairs, true log-odds effects " +
                        string.Join(", ", data.TrueEffects.Select(e => $"{e.Key} {e.Value:+0.00;-0.00;0.00}")) + ")")
            .AppendLine($"Design: {d.Study}")
            .AppendLine()
            .AppendLine("== Treatment journeys ==").Append(Text(journeys, [])).Append(ProgrammeOutput.Text(journeys))
            .AppendLine("== Prison referrals picked up within 42 days ==").Append(Text(referrals, [])).Append(ProgrammeOutput.Text(referrals))
            .AppendLine("== Quarterly referrals triaged within six weeks ==").Append(Text(aggregate, [], aggregate: true)).Append(ProgrammeOutput.Text(aggregate))
            .AppendLine("== National indicators ==").Append(indicators.Text)
            .ToString();
        if (outDir is not null)
        {
            var written = data.WriteTo(outDir).Concat(indicators.Written).ToList();
            var reportJson = Path.Combine(outDir, "report.json");
            var reportText = Path.Combine(outDir, "report.txt");
            OutputFiles.Write(reportJson, report.ToJsonString(JsonOutput.Options));
            OutputFiles.Write(reportText, text);
            written.AddRange([reportJson, reportText]);
            foreach (var w in written) stderr.WriteLine($"wrote {w}");
        }
        Emit(stdout, json, () => report, () => text);
        return 0;
    }

    private static int Logit(TextWriter stdout, TextWriter stderr, string path, string outcome, string? categorical, bool firth, Commands.ModelOptions.Specification spec,
        BinomialLink link, (string? Weights, string? Trials, string? Offset) modelColumns, bool json, ReadOptions read, bool progress)
    {
        if (spec.Clusters.Length > 1) throw new UsageException("two-way clustering (cluster:A,B) needs --formula");
        // HC2, HC3 and clusters with a stated type (cluster:A:hc2) are computed after the fit, at its estimates
        // (Regression/Covariance); the engines do the rest.
        bool after = spec.Type is CovarianceType.HC2 or CovarianceType.HC3 || spec.ClusterType is not null;
        var covariance = after ? CovarianceType.Model : spec.Type;
        string? cluster = spec.Clusters.FirstOrDefault();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The library's background compile and warm-up fit, started now rather than when the table's data are made
        // at the end of the read, so that the JIT runs on the core the read leaves idle (a no-op under Native AOT, the
        // linux-x64 package, which has nothing to compile).
        bool warm = !firth && new LogisticOptions().Implementation == Implementation.Fast;
        if (warm) Numerics.KernelPrecompile.Start();
        var cats = (categorical ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var table = modelColumns.Trials is null ? LogitTable.Read(path, outcome, cats, cluster, read) : LogitModelColumns.ReadGrouped(path, outcome, cats, cluster, read);
        var options = new LogisticOptions { Firth = firth, Covariance = covariance, Clusters = table.Clusters, ConfidenceLevel = spec.Level, Link = link };
        var (modelSpec, weights, trials, offset) = LogitModelColumns.Take(table, modelColumns.Weights, modelColumns.Trials, modelColumns.Offset);
        // The columnar design is built inside the fit (LogitModelColumns.Fit decides first whether the rows compress), so it counts in the fit time.
        int terms = modelSpec.Numeric.Count + modelSpec.Interactions.Count + modelSpec.Categorical.Count;
        if (warm) Numerics.KernelPrecompile.Done.GetAwaiter().GetResult(); // normally long finished; any wait is counted in the load time
        double loadSeconds = clock.Elapsed.TotalSeconds;
        Progress(stderr, progress, $"fitting {table.Outcome.Length:N0} rows × {terms} columns ({options.Implementation.ToString().ToLowerInvariant()} path)");
        clock.Restart();
        LogisticResult fit;
        if (after)
        {
            var model = LogitModelColumns.Model(table, modelSpec, weights, trials, offset);
            var robust = spec.Type == CovarianceType.Cluster
                ? Regression.Covariance.CovarianceOptions.Cluster(table.Clusters!) with { ClusterType = spec.ClusterType!.Value, ClusterNames = spec.Clusters }
                : Regression.Covariance.CovarianceOptions.Robust(spec.Type);
            fit = Regression.Covariance.LogisticCovariance.Apply(model, model.Fit(options with { Clusters = null }), robust);
        }
        else fit = LogitModelColumns.Fit(table, modelSpec, weights, trials, offset, options);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        foreach (var e in table.Exclusions) stderr.WriteLine($"evalstats: {e.Rows:N0} row(s) set aside: {e.Reason}");
        Emit(stdout, json, () => JsonOutput.Logit(fit, table, loadSeconds, fitSeconds), () =>
            fit + (table.Exclusions.Count > 0 ? "\nRows set aside:\n" + string.Join("\n", table.Exclusions.Select(e => $"  {e.Reason}: {e.Rows:N0}")) + "\n" : "") +
            $"\nn = {fit.N:N0} of {table.InputRows:N0} input rows; load {loadSeconds:0.000} s, fit {fitSeconds:0.000} s\n");
        return 0;
    }

    private static IReadOnlyList<ExclusionEntry> PickupExclusions(RecordSet<Pickup> pickups) =>
        pickups.Rejected.Count == 0 ? [] :
        [new ExclusionEntry("pickups", ExclusionReasons.Unparseable, pickups.Rejected.Count, pickups.Rejected.Select(r => r.Line).ToArray())];

    private static void Progress(TextWriter stderr, bool show, string message)
    {
        if (show) stderr.WriteLine($"evalstats: {message}");
    }

    private static void Emit(TextWriter stdout, bool json, Func<JsonNode> toJson, Func<string> toText)
    {
        if (json) stdout.WriteLine(toJson().ToJsonString(JsonOutput.Options));
        else stdout.Write(toText());
    }

    private static string Text(EvaluationResult result, IReadOnlyList<ExclusionEntry> extra, bool aggregate = false)
    {
        var sb = new StringBuilder();
        foreach (var outcome in result.Pairs[0].Outcomes.Keys)
        {
            var dids = result.Pairs.Select(p => p.Outcomes[outcome].Did).ToList();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{outcome}: percentages, change and DiD in percentage points").AppendLine(DidTable.Format(dids));
            var adjusted = result.Pairs.Where(p => p.Outcomes[outcome].Adjusted is not null).ToList();
            if (adjusted.Count > 0)
            {
                sb.AppendLine("adjusted (logistic, pilot:post with covariates; ATT on the probability scale):");
                foreach (var p in adjusted) sb.AppendLine(CultureInfo.InvariantCulture, $"  {p.Name}: {p.Outcomes[outcome].Adjusted}");
                sb.AppendLine();
            }
            if (aggregate)
            {
                sb.AppendLine("base count change (post/pre - 1) and log-odds interaction:");
                foreach (var r in dids)
                    sb.AppendLine(CultureInfo.InvariantCulture, $"  {r.Pair}: pilot {r.BaseCount.PilotChange:+0.0%;-0.0%}, comparison {r.BaseCount.ComparisonChange:+0.0%;-0.0%}, difference {r.BaseCount.Difference:+0.0%;-0.0%}; " +
                                  $"log-odds {(r.LogOddsInteraction is { } lo ? lo.ToString() : "undefined")}");
                sb.AppendLine();
            }
        }
        sb.AppendLine("Exclusion ledger (rows set aside per analysis; cells + ledger = input rows)");
        foreach (var e in result.Exclusions.Entries.Concat(extra))
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {e.Analysis,-40} {e.Reason,-50} {e.Rows,10:N0}{(e.Lines.Count > 0 ? "  lines " + string.Join(",", e.Lines.Take(10)) + (e.Lines.Count > 10 ? ",…" : "") : "")}");
        sb.AppendLine();
        return sb.ToString();
    }

    private static string CellsText(IReadOnlyList<DidResult> results)
    {
        var sb = new StringBuilder(DidTable.Format(results)).AppendLine();
        foreach (var r in results)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Pair}: log-odds interaction {(r.LogOddsInteraction is { } lo ? lo.ToString() : "undefined")}; " +
                          $"base count change {r.BaseCount.Difference:+0.0%;-0.0%}; DiD x pilot post n = {r.People:+0;-0} people");
        return sb.ToString();
    }
}

internal static class Program
{
    private static int Main(string[] args)
    {
        IsaDispatch.Run(args); // the Native AOT package: continues as the AVX2 or AVX-512 build where the CPU has it
        HugePages.Advise();
        return Cli.Run(args, Console.Out, Console.Error);
    }
}
