namespace Evaluation.Stats.Outcomes;

/// <summary>
/// A pilot and its comparison. Each side may hold several areas (their records are pooled).
/// </summary>
public sealed record AreaPair
{
    /// <summary>Creates a pair.</summary>
    /// <param name="name">The pair's name, for example <c>site 2</c>. Must not be blank.</param>
    /// <param name="pilotAreas">The areas that made the change. At least one.</param>
    /// <param name="comparisonAreas">The areas that did not. At least one.</param>
    /// <param name="pilotPrisons">For prison referrals, the prisons whose referrals count in the pilot areas; <c>null</c> when every prison counts.</param>
    /// <exception cref="ArgumentException">When the name is blank, a side is empty, or an area is on both sides.</exception>
    public AreaPair(string name, IEnumerable<string> pilotAreas, IEnumerable<string> comparisonAreas, IEnumerable<string>? pilotPrisons = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A pair needs a name.", nameof(name));
        ArgumentNullException.ThrowIfNull(pilotAreas);
        ArgumentNullException.ThrowIfNull(comparisonAreas);
        PilotAreas = pilotAreas.ToArray();
        ComparisonAreas = comparisonAreas.ToArray();
        if (PilotAreas.Count == 0) throw new ArgumentException($"Pair '{name}' has no pilot area.", nameof(pilotAreas));
        if (ComparisonAreas.Count == 0) throw new ArgumentException($"Pair '{name}' has no comparison area.", nameof(comparisonAreas));
        var both = PilotAreas.Intersect(ComparisonAreas, StringComparer.Ordinal).FirstOrDefault();
        if (both is not null) throw new ArgumentException($"Pair '{name}' lists area '{both}' as both pilot and comparison.", nameof(comparisonAreas));
        Name = name;
        PilotPrisons = pilotPrisons?.ToArray();
    }

    /// <summary>The pair's name.</summary>
    public string Name { get; }

    /// <summary>The pilot areas.</summary>
    public IReadOnlyList<string> PilotAreas { get; }

    /// <summary>The comparison areas.</summary>
    public IReadOnlyList<string> ComparisonAreas { get; }

    /// <summary>The pilot prisons; <c>null</c> when every prison of the pilot areas counts.</summary>
    public IReadOnlyList<string>? PilotPrisons { get; }

    /// <summary>The pair's name and areas.</summary>
    public override string ToString() => $"{Name}: pilot {string.Join("+", PilotAreas)}, comparison {string.Join("+", ComparisonAreas)}";
}

/// <summary>Finds the pair and arm of an area. Built once per design.</summary>
internal sealed class AreaMap
{
    private readonly Dictionary<string, (int Pair, Group Group)> _map = new(StringComparer.Ordinal);

    public AreaMap(IReadOnlyList<AreaPair> pairs)
    {
        for (int i = 0; i < pairs.Count; i++)
        {
            foreach (var a in pairs[i].PilotAreas) Add(a, i, Group.Pilot, pairs);
            foreach (var a in pairs[i].ComparisonAreas) Add(a, i, Group.Comparison, pairs);
        }
    }

    private void Add(string area, int pair, Group group, IReadOnlyList<AreaPair> pairs)
    {
        if (_map.TryGetValue(area, out var existing))
            throw new ArgumentException($"Area '{area}' is in pair '{pairs[existing.Pair].Name}' and again in pair '{pairs[pair].Name}'; an area may belong to one pair only, so that each row lands in one cell.");
        _map[area] = (pair, group);
    }

    public bool TryFind(string area, out int pair, out Group group)
    {
        if (_map.TryGetValue(area, out var hit)) { pair = hit.Pair; group = hit.Group; return true; }
        pair = -1; group = default; return false;
    }

    public IEnumerable<string> Areas => _map.Keys;
}
