using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evaluation.Stats.Outcomes;
using Evaluation.Stats.Periods;

namespace Evaluation.Stats.Data;

/// <summary>
/// Reads and writes the JSON design file of the CLI contract (<c>docs/cli.md</c>): periods, pairs,
/// thresholds and covariates. <c>periods</c> and <c>pairs</c> are required; the rest default to the NTA values.
/// An unknown property, a bad date or an invalid design is an <see cref="InputFormatException"/> naming the file.
/// </summary>
public static class DesignFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

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
            dto = JsonSerializer.Deserialize<DesignDto>(json, Options);
        }
        catch (JsonException e)
        {
            var problem = System.Text.RegularExpressions.Regex.Replace(
                e.Message.Split(" Path:")[0].Split(" LineNumber:")[0], @"'?Evaluation\.Stats\.Data\.DesignFile\+(\w+)Dto'?", "the $1 object");
            var where = e.Path is { Length: > 0 } p ? $" (at {p})" : "";
            throw new InputFormatException(sourceName, (e.LineNumber ?? -1) + 1, null, problem + where);
        }
        if (dto is null) throw new InputFormatException(sourceName, 1, null, "the design file is empty (null)");
        try
        {
            return ToDesign(dto);
        }
        catch (ArgumentException e)
        {
            throw new InputFormatException(sourceName, 0, null, e.Message);
        }
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
        return JsonSerializer.Serialize(dto, Options);
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
            if (p is null) throw new ArgumentException($"pairs[{i}] is null");
            if (string.IsNullOrWhiteSpace(p.Name)) throw new ArgumentException($"pairs[{i}] has no name");
            if (p.Pilot is null || p.Pilot.Length == 0) throw new ArgumentException($"pair '{p.Name}' has no pilot area");
            if (p.Comparison is null || p.Comparison.Length == 0) throw new ArgumentException($"pair '{p.Name}' has no comparison area");
            return new AreaPair(p.Name, p.Pilot, p.Comparison, p.PilotPrisons);
        }).ToArray();
        var rules = new JourneyRules(
            dto.MinimumAge ?? Nta.MinimumAge,
            dto.EffectiveTreatmentDays ?? Nta.EffectiveTreatmentDays,
            dto.CompletedExitReasons ?? (IEnumerable<int>)Nta.CompletedExitReasons);
        var design = new EvaluationDesign(new StudyDesign(pre, post), pairs)
        {
            Rules = rules,
            FollowUpDays = dto.FollowUpDays ?? Nta.ReferralFollowUpDays,
            Covariates = Covariates(dto.Covariates),
            ReferralCovariates = Covariates(dto.ReferralCovariates),
        };
        return dto.ConfidenceLevel is double level ? design with { ConfidenceLevel = level } : design;
    }

    private static CovariateSpec Covariates(CovariatesDto? c) =>
        c is null ? CovariateSpec.None : new CovariateSpec(c.Numeric ?? [], c.Categorical ?? []);

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
            ? d : throw new ArgumentException($"{where} is '{s}', not a date in yyyy-MM-dd form");

    private sealed record WindowDto(string? Start, string? End);
    private sealed record PeriodsDto(WindowDto? Pre, WindowDto? Post);
    private sealed record PairDto(string? Name, string[]? Pilot, string[]? Comparison, string[]? PilotPrisons);
    private sealed record CovariatesDto(string[]? Numeric, string[]? Categorical);
    private sealed record DesignDto(PeriodsDto? Periods, PairDto[]? Pairs, int? MinimumAge, int? EffectiveTreatmentDays,
        int[]? CompletedExitReasons, int? FollowUpDays, CovariatesDto? Covariates, CovariatesDto? ReferralCovariates, double? ConfidenceLevel);
}
