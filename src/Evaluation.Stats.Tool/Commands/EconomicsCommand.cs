using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Stats.Data;
using Evaluation.Stats.Economics;
using Evaluation.Stats.Reporting;
using Evaluation.Stats.Reporting.Charts;

namespace Evaluation.Stats.Tool.Commands;

/// <summary>
/// <c>evalstats economics</c> (docs/cli.md): unit values (Table C6.1), benefits, costs, net benefit and
/// benefit:cost ratio per pair (Table 7.10), with the DiD bounds, a seeded Monte Carlo interval and tornado charts.
/// </summary>
internal static class EconomicsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var effects = new Option<string?>("--effects") { Description = "A CSV of effects: pair, outcome (effectiveTreatment|successfulCompletionOfCaseload), did (a fraction), optional stdError, n." };
        var results = new Option<string?>("--results") { Description = "The JSON written by 'journeys --json' (its DiDs and pilot post n are used)." };
        var costs = new Option<string>("--costs") { Description = "A CSV of costs: pair, year (from 1), cost (pounds, undiscounted).", Required = true };
        var rate = new Option<double>("--rate") { Description = "The discount rate, a fraction above -1.", DefaultValueFactory = _ => PresentValue.DefaultRate };
        var scale = new Option<double>("--benefit-scale") { Description = "The benefit scale of the sensitivity rows (Table 7.10's 50%).", DefaultValueFactory = _ => 0.5 };
        var level = new Option<double>("--level") { Description = "The level of the DiD bounds and the Monte Carlo interval.", DefaultValueFactory = _ => 0.95 };
        var draws = new Option<int>("--draws") { Description = "Monte Carlo draws (0: none).", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "The Monte Carlo seed.", DefaultValueFactory = _ => 1 };
        var defaults = UnitValueParameters.Report;
        var h0 = new Option<double>("--harm-without-treatment") { Description = "H0, the yearly harm (£) without treatment.", DefaultValueFactory = _ => defaults.HarmWithoutTreatment };
        var h1 = new Option<double>("--harm-in-treatment") { Description = "H1, the yearly harm (£) in treatment.", DefaultValueFactory = _ => defaults.HarmInTreatment };
        var treatmentYears = new Option<int>("--treatment-years") { Description = "Years in treatment.", DefaultValueFactory = _ => defaults.TreatmentYears };
        var recoveryYears = new Option<int>("--recovery-years") { Description = "Recovery years after treatment.", DefaultValueFactory = _ => defaults.RecoveryYears };
        var pi = new Option<double>("--recovery-probability") { Description = "pi, the probability a completion stays in recovery (default 1 - 29,932/55,127).", DefaultValueFactory = _ => defaults.RecoveryProbability };
        var cost = new Option<double>("--treatment-cost") { Description = "The cost (£) of a year of treatment.", DefaultValueFactory = _ => defaults.TreatmentCostPerYear };
        var decay = new Option<double>("--decay-rate") { Description = "The yearly decay of recovered clients' harm (1: harm stops at completion; Appendix C6: 0.7).", DefaultValueFactory = _ => defaults.RecoveredHarmDecayRate };
        var decline = new Option<double>("--decline-rate") { Description = "The yearly decline of no-treatment harm in the recovery years (Appendix C6: 0.1).", DefaultValueFactory = _ => defaults.NoTreatmentHarmDeclineRate };
        var ranges = new Option<string[]>("--range") { Description = "A range for the Monte Carlo draws and the tornado, NAME=LOW:HIGH (names: " + string.Join(", ", Enum.GetNames<UnitValueInput>().Select(Camel)) + "); repeatable." };
        var plots = new Option<string?>("--plots") { Description = "Write tornado charts (unit values, and each pair) to this directory." };
        var plotFormat = new Option<string>("--plot-format") { Description = "png or svg.", DefaultValueFactory = _ => "png" };
        plotFormat.AcceptOnlyFromAmong("png", "svg");
        var force = new Option<bool>("--force") { Description = "Let --plots overwrite existing files." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object to stdout (and nothing else there)." };
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces on errors." };

        var command = new Command("economics", "Unit values (Table C6.1), benefits, costs, net benefit and benefit:cost ratio per pair (Table 7.10), with their uncertainty.")
        {
            effects, results, costs, rate, scale, level, draws, seed, h0, h1, treatmentYears, recoveryYears, pi, cost, decay, decline,
            ranges, plots, plotFormat, force, json, verbose,
        };
        command.SetAction(p =>
        {
            string? effectsPath = p.GetValue(effects), resultsPath = p.GetValue(results);
            if ((effectsPath is null) == (resultsPath is null))
                throw new UsageException("give exactly one of --effects FILE and --results FILE");
            var parameters = Option("--harm-without-treatment", () => defaults with { HarmWithoutTreatment = p.GetValue(h0) });
            parameters = Option("--harm-in-treatment", () => parameters with { HarmInTreatment = p.GetValue(h1) });
            parameters = Option("--treatment-years", () => parameters with { TreatmentYears = p.GetValue(treatmentYears) });
            parameters = Option("--recovery-years", () => parameters with { RecoveryYears = p.GetValue(recoveryYears) });
            parameters = Option("--recovery-probability", () => parameters with { RecoveryProbability = p.GetValue(pi) });
            parameters = Option("--treatment-cost", () => parameters with { TreatmentCostPerYear = p.GetValue(cost) });
            parameters = Option("--rate", () => parameters with { DiscountRate = p.GetValue(rate) });
            parameters = Option("--decay-rate", () => parameters with { RecoveredHarmDecayRate = p.GetValue(decay) });
            parameters = Option("--decline-rate", () => parameters with { NoTreatmentHarmDeclineRate = p.GetValue(decline) });
            var options = Option("--benefit-scale", () => new EconomicsOptions { UnitValues = parameters, BenefitScale = p.GetValue(scale) });
            options = Option("--level", () => options with { ConfidenceLevel = p.GetValue(level) });
            options = Option("--draws", () => options with { Draws = p.GetValue(draws), Seed = p.GetValue(seed) });
            options = options with { Ranges = (p.GetValue(ranges) ?? []).Select(ParseRange).ToArray() };

            var pairs = effectsPath is not null ? EconomicsReaders.Effects(effectsPath) : ReadResults(resultsPath!);
            if (pairs.Count == 0)
                throw new InputFormatException(effectsPath ?? resultsPath!, 0, null, "no effects: the file has no pairs to value");
            var pairCosts = EconomicsReaders.Costs(p.GetValue(costs)!, pairs.Select(x => x.Name).ToArray());
            var result = CostBenefit.Evaluate(pairs, pairCosts, options);
            if (p.GetValue(json)) // the text output prints its warnings itself
                foreach (var pair in result.Pairs)
                    foreach (var w in pair.Warnings) stderr.WriteLine($"evalstats: {pair.Name}: {w}");

            if (p.GetValue(plots) is { } dir)
            {
                var format = p.GetValue(plotFormat) == "svg" ? ChartFormat.Svg : ChartFormat.Png;
                var charts = new List<ChartImage> { TornadoChart.Render(EconomicsUncertainty.UnitValueTornado(options), format) };
                var costsByPair = pairCosts.ToDictionary(c => c.Name, StringComparer.Ordinal);
                charts.AddRange(pairs.Select(e => TornadoChart.Render(EconomicsUncertainty.Tornado(e, costsByPair.GetValueOrDefault(e.Name), options), format)));
                foreach (var chart in charts)
                {
                    var path = Path.Combine(dir, $"{chart.Name}.{chart.Extension}");
                    if (!p.GetValue(force) && (File.Exists(path) || new FileInfo(path).LinkTarget is not null))
                        throw new UsageException($"{path} already exists; give --force to overwrite it");
                    stderr.WriteLine($"wrote {chart.WriteTo(dir)}");
                }
            }
            if (p.GetValue(json)) stdout.WriteLine(Json(result).ToJsonString(JsonOutput.Options));
            else stdout.Write(result.UnitValues + Environment.NewLine + result);
            return 0;
        });
        return command;
    }

    /// <summary>Applies one option's value, turning the library's range error into a usage error naming the option.</summary>
    private static T Option<T>(string name, Func<T> apply)
    {
        try { return apply(); }
        catch (ArgumentException e) { throw new UsageException($"{name}: {StripParameter(e)}"); }
    }

    // The library's message without .NET's " (Parameter 'x')" and "Actual value was" additions: one line.
    private static string StripParameter(ArgumentException e) =>
        (e.ParamName is { } param ? e.Message.Replace($" (Parameter '{param}')", "") : e.Message).Split('\n')[0].TrimEnd();

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static ParameterRange ParseRange(string text)
    {
        var eq = text.IndexOf('=');
        var colon = text.IndexOf(':', Math.Max(eq, 0));
        if (eq <= 0 || colon < 0)
            throw new UsageException($"--range '{text}': use NAME=LOW:HIGH, for example recoveryProbability=0.41:0.53");
        var name = text[..eq];
        if (!Enum.TryParse<UnitValueInput>(name, ignoreCase: true, out var input) || !Enum.IsDefined(input))
            throw new UsageException($"--range '{text}': '{name}' is not one of {string.Join(", ", Enum.GetNames<UnitValueInput>().Select(Camel))}");
        if (!double.TryParse(text[(eq + 1)..colon], NumberStyles.Float, CultureInfo.InvariantCulture, out var low) ||
            !double.TryParse(text[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var high))
            throw new UsageException($"--range '{text}': LOW and HIGH must be numbers");
        return Option($"--range '{text}'", () => new ParameterRange(input, low, high));
    }

    /// <summary>Reads the pairs' effects from the JSON of <c>journeys --json</c>: each outcome's <c>did</c> and <c>cells.pilotPost.n</c>.</summary>
    internal static IReadOnlyList<PairEffects> ReadResults(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, null, "the file does not exist");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InputFormatException(path, (e.LineNumber ?? -1) + 1, null, $"not valid JSON: {e.Message}"); }
        if (root?["pairs"] is not JsonArray pairs)
            throw new InputFormatException(path, 0, null, "no 'pairs' array: give the JSON written by 'evalstats journeys --json'");
        var list = new List<PairEffects>();
        for (int i = 0; i < pairs.Count; i++)
        {
            string where = $"pairs[{i}]";
            var pair = pairs[i] as JsonObject ?? throw new InputFormatException(path, 0, null, $"{where} is not an object");
            var name = Value<string>(path, pair["name"], $"{where}.name");
            OutcomeEffect? Outcome(string outcome)
            {
                if (pair["outcomes"]?[outcome] is not JsonObject o) return null;
                string at = $"{where}.outcomes.{outcome}";
                double did = Value<double>(path, o["did"]?["estimate"], $"{at}.did.estimate");
                double? se = o["did"]?["stdError"] is { } s ? Value<double>(path, s, $"{at}.did.stdError") : null;
                long n = Value<long>(path, o["cells"]?["pilotPost"]?["n"], $"{at}.cells.pilotPost.n");
                try { return new OutcomeEffect(did, n, se); }
                catch (ArgumentException e) { throw new InputFormatException(path, 0, null, $"{at}: {StripParameter(e)}"); }
            }
            list.Add(new PairEffects(name, Outcome(OutcomeNames.EffectiveTreatment), Outcome(OutcomeNames.SuccessfulCompletionOfCaseload)));
        }
        return list;
    }

    private static T Value<T>(string path, JsonNode? node, string where)
    {
        try
        {
            return node is JsonValue v && v.TryGetValue<T>(out var x) ? x
                : throw new InputFormatException(path, 0, null, $"{where} is missing or not a {(typeof(T) == typeof(string) ? "string" : "number")}");
        }
        catch (InvalidOperationException) { throw new InputFormatException(path, 0, null, $"{where} is not a {typeof(T).Name}"); }
    }

    /// <summary>The JSON of docs/cli.md's <c>economics</c> section.</summary>
    internal static JsonObject Json(EconomicsResult r)
    {
        var u = r.UnitValues;
        var years = new JsonArray(u.Years.Select(y => (JsonNode?)new JsonObject
        {
            ["year"] = y.Year, ["shortTerm"] = y.ShortTermDiscounted, ["recovery"] = y.RecoveryDiscounted, ["expected"] = y.Expected, ["cost"] = y.CostDiscounted,
            ["noTreatmentHarm"] = y.NoTreatment, ["recoveredHarm"] = y.Recovery, ["weightedHarm"] = y.Weighted,
        }).ToArray());
        var par = u.Parameters;
        var unitValues = new JsonObject
        {
            ["effectiveTreatment"] = u.EffectiveTreatment, ["successfulCompletion"] = u.SuccessfulCompletion, ["treatmentCost"] = u.TreatmentCost,
            ["recovery"] = u.Recovery, ["netShortTerm"] = u.NetShortTerm, ["years"] = years,
            ["parameters"] = new JsonObject
            {
                ["harmWithoutTreatment"] = par.HarmWithoutTreatment, ["harmInTreatment"] = par.HarmInTreatment, ["treatmentYears"] = par.TreatmentYears,
                ["recoveryYears"] = par.RecoveryYears, ["recoveryProbability"] = par.RecoveryProbability, ["treatmentCost"] = par.TreatmentCostPerYear,
                ["rate"] = par.DiscountRate, ["decayRate"] = par.RecoveredHarmDecayRate, ["declineRate"] = par.NoTreatmentHarmDeclineRate,
            },
        };
        static JsonNode? Bound(ChainAtBound? b) => b is null ? null : new JsonObject
        {
            ["totalBenefits"] = JsonOutput.Num(b.TotalBenefits), ["netBenefit"] = JsonOutput.Num(b.NetBenefit), ["ratio"] = JsonOutput.Num(b.Ratio),
        };
        var pairs = new JsonArray();
        foreach (var p in r.Pairs)
        {
            pairs.Add((JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["people"] = new JsonObject { ["effectiveTreatment"] = JsonOutput.Num(p.People.EffectiveTreatment), ["successfulCompletion"] = JsonOutput.Num(p.People.SuccessfulCompletion) },
                ["benefits"] = new JsonObject
                {
                    ["effectiveTreatment"] = JsonOutput.Num(p.Benefits.EffectiveTreatment), ["successfulCompletion"] = JsonOutput.Num(p.Benefits.SuccessfulCompletion),
                    ["total"] = JsonOutput.Num(p.Benefits.Total),
                },
                ["costs"] = p.Costs is null ? null : new JsonObject
                {
                    ["byYear"] = new JsonArray(p.Costs.ByYear.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()), ["total"] = p.Costs.Total,
                },
                ["netBenefit"] = JsonOutput.Num(p.NetBenefit), ["ratio"] = JsonOutput.Num(p.Ratio), ["netRatio"] = JsonOutput.Num(p.NetRatio),
                ["sensitivity"] = new JsonObject
                {
                    ["benefitScale"] = p.Sensitivity.BenefitScale, ["total"] = JsonOutput.Num(p.Sensitivity.Total), ["ratio"] = JsonOutput.Num(p.Sensitivity.Ratio),
                },
                ["bounds"] = p.AtLowerBounds is null ? null : new JsonObject
                {
                    ["level"] = r.Options.ConfidenceLevel, ["lower"] = Bound(p.AtLowerBounds), ["upper"] = Bound(p.AtUpperBounds),
                },
                ["interval"] = p.Interval is not { } i ? null : new JsonObject
                {
                    ["level"] = i.Level, ["draws"] = i.Draws, ["seed"] = i.Seed,
                    ["totalLower"] = JsonOutput.Num(i.TotalLower), ["totalUpper"] = JsonOutput.Num(i.TotalUpper),
                    ["netBenefitLower"] = JsonOutput.Num(i.NetBenefitLower), ["netBenefitUpper"] = JsonOutput.Num(i.NetBenefitUpper),
                    ["ratioLower"] = JsonOutput.Num(i.RatioLower), ["ratioUpper"] = JsonOutput.Num(i.RatioUpper),
                    ["probabilityNetPositive"] = JsonOutput.Num(i.ProbabilityNetPositive),
                },
                ["warnings"] = JsonOutput.Warnings(p.Warnings),
            });
        }
        return new JsonObject { ["unitValues"] = unitValues, ["pairs"] = pairs };
    }
}
