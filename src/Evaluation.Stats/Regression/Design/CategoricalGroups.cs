namespace Evaluation.Stats.Regression;

/// <summary>
/// Consecutive categoricals combined into joint codes (mixed radix, the first member varying fastest) of at most
/// <see cref="MaxJoint"/> levels. One weighted histogram per group, keyed by the joint code, holds every level sum,
/// level-by-dense-column sum and within-group pair table of its members; one table per pair of groups holds the pair
/// tables between them. A row then costs one histogram update per group and one table update per pair of groups,
/// instead of one per level table and one per pair of categoricals.
/// </summary>
internal sealed class CategoricalGroups
{
    /// <summary>The largest number of joint levels in a group (a singleton group may exceed it).</summary>
    internal const int MaxJoint = 256;

    /// <summary>The most joint levels of a last group that is folded into the other groups' histograms.</summary>
    internal const int MaxSatellite = 32;

    /// <summary>The most entries of a histogram keyed by a group's joint code and the folded group's.</summary>
    internal const int MaxSatelliteKey = 4096;

    internal readonly int[][] Members;  // per group, its categoricals (ascending, consecutive)
    internal readonly int[] Joint;      // per group, its number of joint levels
    internal readonly int[][] LevelOf;  // per group, [joint × members + member] = that member's level
    internal readonly ushort[][] Codes; // per group, each row's joint code (16 bits: half the memory traffic of int)

    // The histograms of the fast pass. When the last group is small (a satellite: at most MaxSatellite joint levels, such
    // as a DiD's 0/1 patterns with one small categorical), it has no histogram and no between-group tables of its own:
    // every other group's histogram is keyed by that group's joint code and the satellite's (the satellite varying
    // slowest), so one update per row gives the group's sums, the satellite's and the tables between them. The
    // satellite's own sums are taken from the first histogram only. Without a satellite the histograms are the groups.
    internal readonly int Satellite;           // the folded group, or −1
    internal readonly int[][] HistMembers;     // per histogram, its categoricals (the group's, then the satellite's)
    internal readonly bool[][] HistOwns;       // per histogram and member, whether this histogram adds the member's own sums and β
    internal readonly int[] HistJoint;         // per histogram, its number of keys
    internal readonly int[][] HistLevelOf;     // per histogram, [key × members + member] = that member's level
    internal readonly ushort[][] HistCodes;    // per histogram, each row's key

    private CategoricalGroups(int[][] members, int[] joint, int[][] levelOf, ushort[][] codes)
    {
        Members = members;
        Joint = joint;
        LevelOf = levelOf;
        Codes = codes;
        int g = members.Length, s = g - 1;
        bool satellite = g >= 2 && joint[s] <= MaxSatellite && Enumerable.Range(0, s).All(k => joint[k] * joint[s] <= MaxSatelliteKey);
        if (!satellite)
        {
            Satellite = -1;
            HistMembers = members;
            HistOwns = members.Select(m => Enumerable.Repeat(true, m.Length).ToArray()).ToArray();
            HistJoint = joint;
            HistLevelOf = levelOf;
            HistCodes = codes;
            return;
        }
        Satellite = s;
        HistMembers = new int[s][];
        HistOwns = new bool[s][];
        HistJoint = new int[s];
        HistLevelOf = new int[s][];
        HistCodes = new ushort[s][];
        var ms = members[s];
        for (int k = 0; k < s; k++)
        {
            var mk = members[k];
            int m = mk.Length + ms.Length, size = joint[k] * joint[s];
            HistMembers[k] = [.. mk, .. ms];
            HistOwns[k] = [.. mk.Select(_ => true), .. ms.Select(_ => k == 0)];
            HistJoint[k] = size;
            var lv = new int[size * m];
            for (int key = 0; key < size; key++)
            {
                int jk = key % joint[k], js = key / joint[k];
                for (int q = 0; q < mk.Length; q++) lv[key * m + q] = levelOf[k][jk * mk.Length + q];
                for (int q = 0; q < ms.Length; q++) lv[key * m + mk.Length + q] = levelOf[s][js * ms.Length + q];
            }
            HistLevelOf[k] = lv;
            var hc = new ushort[codes[k].Length];
            for (int i = 0; i < hc.Length; i++) hc[i] = (ushort)(codes[k][i] + joint[k] * codes[s][i]);
            HistCodes[k] = hc;
        }
    }

    internal int Count => Members.Length;

    /// <summary>The number of histograms of the fast pass.</summary>
    internal int Histograms => HistMembers.Length;

    /// <summary>The groups that have between-group tables: the first <see cref="CrossGroups"/> (all but a satellite).</summary>
    internal int CrossGroups => Satellite < 0 ? Count : Count - 1;

    internal static CategoricalGroups Build(int rows, int[][] codes, int[] levelCounts)
    {
        var members = new List<int[]>();
        var current = new List<int>();
        long joint = 1;
        for (int c = 0; c < codes.Length; c++)
        {
            if (current.Count > 0 && joint * levelCounts[c] > MaxJoint)
            {
                members.Add(current.ToArray());
                current.Clear();
                joint = 1;
            }
            current.Add(c);
            joint *= levelCounts[c];
        }
        if (current.Count > 0) members.Add(current.ToArray());

        var g = members.Count;
        var jointCounts = new int[g];
        var levelOf = new int[g][];
        var jointCodes = new ushort[g][];
        for (int k = 0; k < g; k++)
        {
            var m = members[k];
            var strides = new int[m.Length];
            int size = 1;
            for (int q = 0; q < m.Length; q++) { strides[q] = size; size *= levelCounts[m[q]]; }
            jointCounts[k] = size;
            var lv = new int[size * m.Length];
            for (int j = 0; j < size; j++)
                for (int q = 0; q < m.Length; q++) lv[j * m.Length + q] = j / strides[q] % levelCounts[m[q]];
            levelOf[k] = lv;
            if (size > ushort.MaxValue + 1)
                throw new ArgumentException($"A categorical term has {size:N0} levels; the fast path takes at most {ushort.MaxValue + 1:N0} (its information matrix would need {(double)size * size * 8 / 1e9:0} GB).");
            var jc = new ushort[rows];
            for (int q = 0; q < m.Length; q++)
            {
                var src = codes[m[q]];
                int stride = strides[q];
                for (int i = 0; i < rows; i++) jc[i] = (ushort)(jc[i] + src[i] * stride);
            }
            jointCodes[k] = jc;
        }
        return new CategoricalGroups(members.ToArray(), jointCounts, levelOf, jointCodes);
    }
}
