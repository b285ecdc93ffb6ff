namespace Evaluation.Stats.Periods;

/// <summary>The two windows of a before-and-after study.</summary>
public enum Period
{
    /// <summary>The window before the change.</summary>
    Pre,
    /// <summary>The window after the change (after any implementation lag).</summary>
    Post,
}

/// <summary>
/// A study design: a <see cref="Pre"/> window and a <see cref="Post"/> window (methodology §1).
/// The gap between them (the implementation lag) belongs to neither.
/// </summary>
public sealed record StudyDesign
{
    /// <summary>The DSCP windows: pre 2007-10-01 to 2009-03-31, post 2009-10-01 to 2011-03-31, a six-month lag between.</summary>
    public static StudyDesign Dscp { get; } = new(
        new DateWindow(new DateOnly(2007, 10, 1), new DateOnly(2009, 3, 31)),
        new DateWindow(new DateOnly(2009, 10, 1), new DateOnly(2011, 3, 31)));

    /// <summary>Creates a design. The pre window must end before the post window starts.</summary>
    /// <exception cref="ArgumentException">When the windows overlap or are in the wrong order.</exception>
    public StudyDesign(DateWindow pre, DateWindow post)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        if (pre.End >= post.Start)
            throw new ArgumentException($"The pre window ({pre}) must end before the post window ({post}) starts.", nameof(post));
        Pre = pre;
        Post = post;
    }

    /// <summary>The window before the change.</summary>
    public DateWindow Pre { get; }

    /// <summary>The window after the change.</summary>
    public DateWindow Post { get; }

    /// <summary>The days between the windows that belong to neither (the implementation lag).</summary>
    public int LagDays => Post.Start.DayNumber - Pre.End.DayNumber - 1;

    /// <summary>The window of <paramref name="period"/>.</summary>
    public DateWindow Window(Period period) => period switch
    {
        Period.Pre => Pre,
        Period.Post => Post,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown period."),
    };

    /// <summary>The design as <c>pre …; post …</c>.</summary>
    public override string ToString() => $"pre {Pre}; post {Post}";
}
