using System.Diagnostics.Tracing;
using System.Collections.Concurrent;
namespace Evaluation.Stats.Benchmarks;
/// <summary>Diagnosis: per-method JIT time from the runtime's own events (MethodJittingStarted to MethodLoadVerbose on the same thread).</summary>
internal sealed class JitLog : EventListener
{
    private readonly ConcurrentDictionary<long, (DateTime, string)> _start = new();
    public readonly ConcurrentBag<(double Ms, string Name, string Tier)> Done = new();
    public volatile bool On;
    protected override void OnEventSourceCreated(EventSource s)
    {
        if (s.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(s, EventLevel.Verbose, (EventKeywords)0x10);
    }
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!On) return;
        if (e.EventName == "MethodJittingStarted_V1" || e.EventId == 145)
        {
            string name = $"{e.Payload![4]}::{e.Payload[5]}";
            _start[e.OSThreadId] = (e.TimeStamp, name);
        }
        else if (e.EventId == 143 && _start.TryRemove(e.OSThreadId, out var st))
        {
            int flags = Convert.ToInt32(e.Payload![5]);
            Done.Add(((e.TimeStamp - st.Item1).TotalMilliseconds, st.Item2, ((flags >> 7) & 7).ToString()));
        }
    }
}
