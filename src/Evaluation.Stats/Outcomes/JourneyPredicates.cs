using System.Numerics;
using System.Runtime.CompilerServices;

namespace Evaluation.Stats.Outcomes;

/// <summary>
/// Day numbers one at a time (<see cref="Day"/>, truth as <see cref="bool"/>) or a vector of rows at a time
/// (<see cref="DayVector"/>, truth as an all-ones lane mask): the operations the journey rules are written in, so that
/// each rule is written once (<see cref="JourneyPredicates"/>) and the reference, the fast scalar tail and the vector
/// path all compile from it.
/// </summary>
internal interface IDays<TSelf, TMask> where TSelf : struct, IDays<TSelf, TMask>
{
    static abstract TMask LessOrEqual(TSelf a, TSelf b);
    static abstract TMask GreaterOrEqual(TSelf a, TSelf b);
    static abstract TMask And(TMask a, TMask b);
    static abstract TMask Or(TMask a, TMask b);
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Subtract(TSelf a, TSelf b);
}

/// <summary>One day number (a blank end is <see cref="JourneyTable.NoEnd"/>).</summary>
internal readonly record struct Day(int Value) : IDays<Day, bool>
{
    public static bool LessOrEqual(Day a, Day b) => a.Value <= b.Value;
    public static bool GreaterOrEqual(Day a, Day b) => a.Value >= b.Value;
    public static bool And(bool a, bool b) => a & b;
    public static bool Or(bool a, bool b) => a | b;
    public static Day Min(Day a, Day b) => new(Math.Min(a.Value, b.Value));
    public static Day Subtract(Day a, Day b) => new(a.Value - b.Value);
}

/// <summary>A vector of day numbers, one row a lane.</summary>
internal readonly record struct DayVector(Vector<int> Value) : IDays<DayVector, Vector<int>>
{
    public static Vector<int> LessOrEqual(DayVector a, DayVector b) => Vector.LessThanOrEqual(a.Value, b.Value);
    public static Vector<int> GreaterOrEqual(DayVector a, DayVector b) => Vector.GreaterThanOrEqual(a.Value, b.Value);
    public static Vector<int> And(Vector<int> a, Vector<int> b) => a & b;
    public static Vector<int> Or(Vector<int> a, Vector<int> b) => a | b;
    public static DayVector Min(DayVector a, DayVector b) => new(Vector.Min(a.Value, b.Value));
    public static DayVector Subtract(DayVector a, DayVector b) => new(a.Value - b.Value);
}

/// <summary>
/// The date rules of methodology §2, each written once over <see cref="IDays{TSelf, TMask}"/>: <see cref="JourneyClassifier"/>
/// (the reference, on records), and <see cref="FastJourneyClassifier"/>'s scalar tails and vector blocks call these
/// same methods. A blank end is <see cref="JourneyTable.NoEnd"/>, later than any date, so "not ended" needs no branch.
/// </summary>
internal static class JourneyPredicates
{
    /// <summary>The journey crosses into W: it starts on or before W's end and has not ended before W's start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TMask CrossesInto<TDays, TMask>(TDays start, TDays end, TDays windowStart, TDays windowEnd) where TDays : struct, IDays<TDays, TMask> =>
        TDays.And(TDays.LessOrEqual(start, windowEnd), TDays.GreaterOrEqual(end, windowStart));

    /// <summary>§2.1 step 2: the journey starts on or before <c>W's end − D</c> (<paramref name="latestStart"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TMask StartsInTime<TDays, TMask>(TDays start, TDays latestStart) where TDays : struct, IDays<TDays, TMask> =>
        TDays.LessOrEqual(start, latestStart);

    /// <summary>§2.1 step 3: ended within W with a completed exit reason, or lasted at least D days up to W's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TMask IsEffective<TDays, TMask>(TDays start, TDays end, TDays windowEnd, TDays days, TMask completed) where TDays : struct, IDays<TDays, TMask> =>
        TDays.Or(TDays.And(TDays.LessOrEqual(end, windowEnd), completed), TDays.GreaterOrEqual(TDays.Subtract(TDays.Min(end, windowEnd), start), days));

    /// <summary>§2.2: the journey ended within W (on or before its end; a blank end has not).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TMask EndedInWindow<TDays, TMask>(TDays end, TDays windowEnd) where TDays : struct, IDays<TDays, TMask> =>
        TDays.LessOrEqual(end, windowEnd);

    /// <summary>
    /// The data error of a journey's fields (§2), as 0 for none or 1 + its index among end before start, exit reason
    /// without an end, missing age and negative age (the order in which they are tested).
    /// </summary>
    public static byte DataError(int start, int end, int exit, int age) =>
        end != JourneyTable.NoEnd && end < start ? (byte)1
        : exit != JourneyTable.Blank && end == JourneyTable.NoEnd ? (byte)2
        : age == JourneyTable.Blank ? (byte)3
        : age < 0 ? (byte)4 : (byte)0;

    /// <summary>The reasons of <see cref="DataError"/>'s codes 1 to 4.</summary>
    public static readonly string[] DataErrorReasons =
        [ExclusionReasons.EndBeforeStart, ExclusionReasons.ExitReasonWithoutEnd, ExclusionReasons.MissingAge, ExclusionReasons.NegativeAge];

    /// <summary>(start, end) packed so that a greater start is later, then a blank end, then a later end; the later row breaks a tie.</summary>
    public static long LatestKey(int start, int end) => ((long)start << 32) | (uint)end;
}
