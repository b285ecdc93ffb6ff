using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads and writes the JSON design file of the CLI contract (<c>docs/cli.md</c>): periods, pairs,
/// thresholds and covariates. <c>periods</c> and <c>pairs</c> are required; the rest default to the NTA values.
/// An unknown property, a bad date or an invalid design is an <see cref="InputFormatException"/> naming the file and
/// the JSON path of the value (for example <c>pairs[0].pilot[1]</c>), in the project's own words.
/// </summary>
/// <remarks>
/// The JSON is read by System.Text.Json's source generator (<see cref="DesignJson"/>), not by reflection, so trimmed
/// and native-AOT apps and .NET 10 file-based apps (<c>dotnet run app.cs</c>) can load designs.
/// </remarks>
public static partial class DesignFile
{
    /// <summary>The longest follow-up, treatment length or age a design may give (100 years in days; 150 years).</summary>
    private const int MaxDays = 36_525, MaxAge = 150;

    /// <summary>Reads a design file.</summary>
    /// <exception cref="InputFormatException">When the file is missing, is not valid JSON, has an unknown property or describes an invalid design.</exception>
    public static EvaluationDesign Load(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, null, "the design file does not exist");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses design JSON; <paramref name="sourceName"/> names it in errors.</summary>
    public static EvaluationDesign Parse(string json, string sourceName)
    {
        DesignDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, DesignJson.Default.DesignDto);
        }
        catch (JsonException e)
        {
            throw new InputFormatException(sourceName, (e.LineNumber ?? -1) + 1, null, JsonProblem(e));
        }
        if (dto is null) throw new InputFormatException(sourceName, 1, null, "the design file is empty (null)");
        try
        {
            return ToDesign(dto);
        }
        catch (ArgumentException e)
        {
            // The design types' own checks: their messages are sentences; the parameter's name is not for the user.
            var message = e is { ParamName: { } param } ? e.Message.Replace($" (Parameter '{param}')", "") : e.Message;
            throw new InputFormatException(sourceName, 0, null, message.Split(Environment.NewLine)[0]);
        }
    }

    /// <summary>A JSON error in the project's words: what was expected, where (the JSON path), without .NET type names.</summary>
    private static string JsonProblem(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : null;
        var message = e.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
        string problem;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var m = System.Text.RegularExpressions.Regex.Match(message, "property '([^']*)'");
            problem = $"unknown property {Echo.Quote(m.Success ? m.Groups[1].Value : "?")}; the design file has periods, pairs, minimumAge, " +
                      "effectiveTreatmentDays, completedExitReasons, followUpDays, covariates, referralCovariates and confidenceLevel";
            path = path is null ? null : path.Contains('.') ? path[..path.LastIndexOf('.')] : null;
        }
        else if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            // What the property holds, from its name in the path (the serializer names .NET types instead).
            var last = System.Text.RegularExpressions.Regex.Match(path ?? "", @"(\w+)(\[\d+\])?$");
            bool item = last.Groups[2].Success;
            problem = "the value is not " + (last.Groups[1].Value switch
            {
                "minimumAge" or "effectiveTreatmentDays" or "followUpDays" => "a whole number",
                "completedExitReasons" => item ? "a whole number" : "a list of whole numbers",
                "confidenceLevel" => "a number",
                "name" or "start" or "end" => "text (in quotes)",
                "pilot" or "comparison" or "pilotPrisons" or "numeric" or "categorical" => item ? "text (in quotes)" : "a list of text values",
                "pairs" => item ? "a pair object (name, pilot, comparison)" : "a list of pairs",
                "periods" => "an object with pre and post",
                "pre" or "post" => "an object with start and end",
                "covariates" or "referralCovariates" => "an object with numeric and categorical",
                _ => "a design object",
            });
        }
        else if (message.Contains("after a single JSON value", StringComparison.Ordinal)) problem = "there is more after the design object; a design file holds one object";
        else if (message.Contains("expected end of string", StringComparison.Ordinal) || message.Contains("is an invalid start of a value", StringComparison.Ordinal)
                 || message.Contains("is invalid after", StringComparison.Ordinal) || message.Contains("Expected", StringComparison.Ordinal)
                 || message.Contains("is invalid within", StringComparison.Ordinal) || message.Contains("The input does not contain any JSON", StringComparison.Ordinal))
            problem = "this is not valid JSON here (" + System.Text.RegularExpressions.Regex.Replace(message, @"\s*LineNumber.*$", "").TrimEnd('.') + ")";
        else problem = System.Text.RegularExpressions.Regex.Replace(message, @"'?Evaluation\.Stats\.Data\.DesignFile\+(\w+)Dto'?", "the $1 object")
            .Replace("System.", "", StringComparison.Ordinal);
        return path is null ? problem : $"{problem} (at {path})";
    }

    /// <summary>Writes <paramref name="design"/> as design JSON.</summary>
    public static string ToJson(EvaluationDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        static WindowDto W(DateWindow w) => new(D(w.Start), D(w.End));
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        static CovariatesDto? C(CovariateSpec c) => c.All.Any() ? new CovariatesDto(c.Numeric.ToArray(), c.Categorical.ToArray()) : null;
        var dto = new DesignDto(
            new PeriodsDto(W(design.Study.Pre), W(design.Study.Post)),
            design.Pairs.Select(p => new PairDto(p.Name, p.PilotAreas.ToArray(), p.ComparisonAreas.ToArray(), p.PilotPrisons?.ToArray())).ToArray(),
            design.Rules.MinimumAge, design.Rules.EffectiveTreatmentDays, design.Rules.CompletedExitReasons.Order().ToArray(),
            design.FollowUpDays, C(design.Covariates), C(design.ReferralCovariates), design.ConfidenceLevel);
        return JsonSerializer.Serialize(dto, DesignJson.Default.DesignDto);
    }

    private static EvaluationDesign ToDesign(DesignDto dto)
    {
        if (dto.Periods is null) throw new ArgumentException("'periods' is required");
        if (dto.Pairs is null || dto.Pairs.Length == 0) throw new ArgumentException("'pairs' is required and must hold at least one pair");
        var pre = Window(dto.Periods.Pre, "periods.pre");
        var post = Window(dto.Periods.Post, "periods.post");
        if (pre.Overlaps(post)) throw new ArgumentException($"periods.pre ({pre}) and periods.post ({post}) overlap");
        if (pre.End >= post.Start) throw new ArgumentException($"periods.pre ({pre}) must end before periods.post ({post}) starts");
        var pairs = dto.Pairs.Select((p, i) =>
        {
            if (p is null) throw new ArgumentException($"pairs[{i}] is null; a pair is an object with name, pilot and comparison");
            if (string.IsNullOrWhiteSpace(p.Name)) throw new ArgumentException($"pairs[{i}] has no name (at pairs[{i}].name)");
            if (p.Pilot is null || p.Pilot.Length == 0) throw new ArgumentException($"pair {Echo.Quote(p.Name)} has no pilot area (at pairs[{i}].pilot)");
            if (p.Comparison is null || p.Comparison.Length == 0) throw new ArgumentException($"pair {Echo.Quote(p.Name)} has no comparison area (at pairs[{i}].comparison)");
            Names(p.Pilot, $"pairs[{i}].pilot", "an area");
            Names(p.Comparison, $"pairs[{i}].comparison", "an area");
            if (p.PilotPrisons is not null) Names(p.PilotPrisons, $"pairs[{i}].pilotPrisons", "a prison");
            return new AreaPair(p.Name, p.Pilot!, p.Comparison!, p.PilotPrisons!);
        }).ToArray();
        int minimumAge = Range(dto.MinimumAge ?? Nta.MinimumAge, 0, MaxAge, "minimumAge", "years");
        int treatmentDays = Range(dto.EffectiveTreatmentDays ?? Nta.EffectiveTreatmentDays, 1, MaxDays, "effectiveTreatmentDays", "days");
        int followUpDays = Range(dto.FollowUpDays ?? Nta.ReferralFollowUpDays, 0, MaxDays, "followUpDays", "days");
        if (dto.CompletedExitReasons is { Length: 0 }) throw new ArgumentException("completedExitReasons is empty; at least one exit reason must count as completed");
        if (dto.ConfidenceLevel is double c && !(c > 0 && c < 1))
            throw new ArgumentException($"confidenceLevel is {c.ToString(CultureInfo.InvariantCulture)}; it must lie strictly between 0 and 1 (for example 0.95)");
        Names(dto.Covariates?.Numeric, "covariates.numeric", "a column");
        Names(dto.Covariates?.Categorical, "covariates.categorical", "a column");
        Names(dto.ReferralCovariates?.Numeric, "referralCovariates.numeric", "a column");
        Names(dto.ReferralCovariates?.Categorical, "referralCovariates.categorical", "a column");
        var rules = new JourneyRules(minimumAge, treatmentDays, dto.CompletedExitReasons ?? (IEnumerable<int>)Nta.CompletedExitReasons);
        var design = new EvaluationDesign(new StudyDesign(pre, post), pairs)
        {
            Rules = rules,
            FollowUpDays = followUpDays,
            Covariates = Covariates(dto.Covariates),
            ReferralCovariates = Covariates(dto.ReferralCovariates),
        };
        return dto.ConfidenceLevel is double level ? design with { ConfidenceLevel = level } : design;
    }

    /// <summary>Every entry of a list of names must be text that is not blank.</summary>
    private static void Names(string?[]? names, string where, string what)
    {
        if (names is null) return;
        for (int k = 0; k < names.Length; k++)
            if (string.IsNullOrWhiteSpace(names[k]))
                throw new ArgumentException($"{where}[{k}] is {(names[k] is null ? "null" : "blank")}; {what} needs a name (at {where}[{k}])");
    }

    private static int Range(int value, int min, int max, string where, string unit) =>
        value >= min && value <= max ? value
            : throw new ArgumentException($"{where} is {value.ToString(CultureInfo.InvariantCulture)}; it must be from {min} to {max.ToString("N0", CultureInfo.InvariantCulture)} {unit}");

    private static CovariateSpec Covariates(CovariatesDto? c) =>
        c is null ? CovariateSpec.None : new CovariateSpec(c.Numeric?.Select(n => n!).ToArray() ?? [], c.Categorical?.Select(n => n!).ToArray() ?? []);

    private static DateWindow Window(WindowDto? w, string where)
    {
        if (w is null) throw new ArgumentException($"'{where}' is required");
        var start = Date(w.Start, where + ".start");
        var end = Date(w.End, where + ".end");
        if (end < start) throw new ArgumentException($"{where} ends ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd})");
        return new DateWindow(start, end);
    }

    private static DateOnly Date(string? s, string where) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new ArgumentException(s is null ? $"{where} is missing; give a date in yyyy-MM-dd form" : $"{where} is {Echo.Quote(s)}, not a date in yyyy-MM-dd form");

    internal sealed record WindowDto(string? Start, string? End);
    internal sealed record PeriodsDto(WindowDto? Pre, WindowDto? Post);
    internal sealed record PairDto(string? Name, string?[]? Pilot, string?[]? Comparison, string?[]? PilotPrisons);
    internal sealed record CovariatesDto(string?[]? Numeric, string?[]? Categorical);
    internal sealed record DesignDto(PeriodsDto? Periods, PairDto[]? Pairs, int? MinimumAge, int? EffectiveTreatmentDays,
        int[]? CompletedExitReasons, int? FollowUpDays, CovariatesDto? Covariates, CovariatesDto? ReferralCovariates, double? ConfidenceLevel);

    /// <summary>The design file's JSON contract, generated at compile time (no reflection).</summary>
    [JsonSourceGenerationOptions(
        PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(DesignDto))]
    internal sealed partial class DesignJson : JsonSerializerContext;
}
