using System.Text.Json;
using System.Text.Json.Nodes;
using Evaluation.Stats.DiffInDiff;
using Evaluation.Stats.Outcomes;

namespace Evaluation.Stats.Tool;

/// <summary>Builds the CLI's JSON (docs/cli.md): camelCase, plain numbers, null for undefined.</summary>
/// <remarks>
/// Objects are added to arrays as <c>(JsonNode)</c>, here and in the commands: that binds <c>JsonArray.Add(JsonNode)</c>
/// rather than the generic <c>Add&lt;T&gt;</c>, which the Native AOT build refuses (IL2026/IL3050) because for other types it
/// serializes by reflection.
/// </remarks>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>A number, or null when it is undefined (NaN or infinite).</summary>
    public static JsonNode? Num(double? x) => x is double d && double.IsFinite(d) ? JsonValue.Create(d) : null;

    public static JsonObject Cells(PairCells cells, PairCells? rows = null, bool quarters = false)
    {
        var o = new JsonObject();
        var rowCells = rows?.Named().ToDictionary(c => c.Name, c => c.Cell.N);
        foreach (var (name, cell) in cells.Named())
        {
            var c = new JsonObject { ["n"] = cell.N, ["events"] = cell.Events };
            if (quarters && rowCells is not null) c["quarters"] = rowCells[name];
            o[name] = c;
        }
        return o;
    }

    public static JsonObject Did(WaldEstimate rd) => new()
    {
        ["estimate"] = Num(rd.Estimate), ["stdError"] = Num(rd.StdError),
        ["ciLower"] = Num(rd.CiLower), ["ciUpper"] = Num(rd.CiUpper), ["pValue"] = Num(rd.PValue),
    };

    public static JsonNode? LogOdds(WaldEstimate? lo) => lo is null ? null : new JsonObject
    {
        ["estimate"] = Num(lo.Estimate), ["stdError"] = Num(lo.StdError), ["pValue"] = Num(lo.PValue),
        ["ciLower"] = Num(lo.CiLower), ["ciUpper"] = Num(lo.CiUpper),
    };

    public static JsonObject BaseCount(BaseCountChange b) => new()
    {
        ["pilotChange"] = Num(b.PilotChange), ["comparisonChange"] = Num(b.ComparisonChange), ["difference"] = Num(b.Difference),
    };

    /// <summary>The <c>adjusted</c> block: the interaction, its odds ratio and the ATT, with the fit's health.</summary>
    public static JsonObject Adjusted(Regression.AdjustedDid a) => new()
    {
        ["logOdds"] = Num(a.LogOdds), ["stdError"] = Num(a.StdError), ["pValue"] = Num(a.PValue),
        ["oddsRatio"] = Num(a.OddsRatio), ["oddsRatioCiLower"] = Num(a.OddsRatioCiLower), ["oddsRatioCiUpper"] = Num(a.OddsRatioCiUpper),
        ["att"] = Num(a.Att), ["attStdError"] = Num(a.AttStdError), ["n"] = a.N,
        ["converged"] = a.Model.Converged, ["iterations"] = a.Model.Iterations,
        // A model fitted on its covariate patterns (the rows compressed) says how many; null for a row-level fit.
        ["patterns"] = a.Model.Patterns is int patterns ? patterns : null,
        ["aliased"] = Strings(a.Model.Aliased), ["separation"] = Strings(a.Model.Separation), ["warnings"] = Warnings(a.Model.Warnings),
    };

    public static JsonArray Strings(IEnumerable<string> items) => new(items.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());

    public static JsonArray Warnings(IEnumerable<string> warnings) => new(warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray());

    /// <summary>The ledger entries; data-error entries carry their first 1,000 line numbers.</summary>
    public static JsonArray Exclusions(IEnumerable<ExclusionEntry> entries)
    {
        var a = new JsonArray();
        foreach (var e in entries)
        {
            var o = new JsonObject { ["analysis"] = e.Analysis, ["reason"] = e.Reason, ["rows"] = e.Rows };
            if (e.Lines.Count > 0)
            {
                o["lines"] = new JsonArray(e.Lines.Take(1000).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
                if (e.Lines.Count > 1000) o["linesNotShown"] = e.Lines.Count - 1000;
            }
            a.Add((JsonNode)o);
        }
        return a;
    }

    /// <summary>The output of <c>journeys</c> and <c>referrals</c>: per pair, per outcome, cells and DiD; then the ledger.</summary>
    public static JsonObject RecordLevel(EvaluationResult result, IEnumerable<ExclusionEntry> extraExclusions)
    {
        var pairs = new JsonArray();
        foreach (var pair in result.Pairs)
        {
            var outcomes = new JsonObject();
            foreach (var (name, o) in pair.Outcomes)
                outcomes[name] = new JsonObject
                {
                    ["cells"] = Cells(o.Cells),
                    ["did"] = Did(o.Did.RiskDifference),
                    ["adjusted"] = o.Adjusted is null ? null : Adjusted(o.Adjusted),
                    ["warnings"] = Warnings(o.Did.Warnings),
                };
            pairs.Add((JsonNode)new JsonObject { ["name"] = pair.Name, ["outcomes"] = outcomes });
        }
        return new JsonObject { ["pairs"] = pairs, ["exclusions"] = Exclusions(result.Exclusions.Entries.Concat(extraExclusions)) };
    }

    /// <summary>The output of <c>aggregate</c>.</summary>
    public static JsonObject Aggregate(EvaluationResult result)
    {
        var pairs = new JsonArray();
        foreach (var pair in result.Pairs)
        {
            var o = pair.Outcomes[OutcomeNames.Aggregate];
            pairs.Add((JsonNode)new JsonObject
            {
                ["name"] = pair.Name,
                ["cells"] = Cells(o.Cells, o.CellRows, quarters: true),
                ["did"] = Did(o.Did.RiskDifference),
                ["logOddsInteraction"] = LogOdds(o.Did.LogOddsInteraction),
                ["baseCount"] = BaseCount(o.Did.BaseCount),
                ["warnings"] = Warnings(o.Did.Warnings),
            });
        }
        return new JsonObject { ["pairs"] = pairs, ["exclusions"] = Exclusions(result.Exclusions.Entries) };
    }

    /// <summary>The output of <c>logit</c>.</summary>
    public static JsonObject Logit(Regression.LogisticResult fit, Data.LogitTable table, double loadSeconds, double fitSeconds) =>
        Logit(fit, table.Exclusions, loadSeconds, fitSeconds);

    /// <summary>The output of <c>logit</c>, with the rows set aside.</summary>
    public static JsonObject Logit(Regression.LogisticResult fit, IReadOnlyList<ExclusionEntry> exclusions, double loadSeconds, double fitSeconds)
    {
        var coefficients = new JsonArray();
        foreach (var c in fit.Coefficients)
            coefficients.Add((JsonNode)new JsonObject
            {
                ["term"] = c.Term, ["estimate"] = Num(c.Estimate), ["stdError"] = Num(c.StdError), ["zValue"] = Num(c.ZValue),
                ["pValue"] = Num(c.PValue), ["ciLower"] = Num(c.CiLower), ["ciUpper"] = Num(c.CiUpper), ["oddsRatio"] = Num(c.OddsRatio),
            });
        return new JsonObject
        {
            ["coefficients"] = coefficients,
            ["aliased"] = Strings(fit.Aliased),
            ["separation"] = Strings(fit.Separation),
            ["warnings"] = Warnings(fit.Warnings),
            ["logLikelihood"] = Num(fit.LogLikelihood), ["deviance"] = Num(fit.Deviance), ["nullDeviance"] = Num(fit.NullDeviance), ["aic"] = Num(fit.Aic),
            ["iterations"] = fit.Iterations, ["converged"] = fit.Converged, ["n"] = fit.N,
            ["covariance"] = fit.Options.Covariance.ToString(), ["firth"] = fit.Options.Firth,
            ["link"] = fit.Options.Link.ToString().ToLowerInvariant(), ["patterns"] = fit.Patterns is int patterns ? patterns : null,
            ["exclusions"] = Exclusions(exclusions),
            ["timing"] = new JsonObject { ["loadSeconds"] = Num(loadSeconds), ["fitSeconds"] = Num(fitSeconds) },
        };
    }

    /// <summary>The output of <c>did --cells</c>.</summary>
    public static JsonObject CellsOnly(IEnumerable<DidResult> results)
    {
        var pairs = new JsonArray();
        foreach (var r in results)
            pairs.Add((JsonNode)new JsonObject
            {
                ["name"] = r.Pair,
                ["cells"] = Cells(r.Cells),
                ["did"] = Did(r.RiskDifference),
                ["logOddsInteraction"] = LogOdds(r.LogOddsInteraction),
                ["baseCount"] = BaseCount(r.BaseCount),
                ["people"] = Num(r.People),
                ["warnings"] = Warnings(r.Warnings),
            });
        return new JsonObject { ["pairs"] = pairs };
    }
}
