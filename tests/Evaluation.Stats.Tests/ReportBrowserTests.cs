using System.Diagnostics;
using System.Text.RegularExpressions;
using Evaluation.Stats.Reporting;
using SkiaSharp;

namespace Evaluation.Stats.Tests;

/// <summary>
/// The report in a real browser: headless Chromium (Debian's <c>chromium</c>, installed by .ci/run) renders
/// index.html to a screenshot and dumps the DOM after load. Needs chromium on PATH (or EVALSTATS_CHROMIUM);
/// filter these out with <c>--filter "Category!=Browser"</c> on a machine without it.
/// </summary>
[Trait("Category", "Browser")]
public class ReportBrowserTests
{
    internal static string Chromium()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("EVALSTATS_CHROMIUM"), "chromium", "chromium-browser", "google-chrome" };
        foreach (var c in candidates.OfType<string>())
        {
            if (Path.IsPathRooted(c) && File.Exists(c)) return c;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
                if (File.Exists(Path.Combine(dir, c))) return Path.Combine(dir, c);
        }
        throw new InvalidOperationException("No chromium on PATH: install Debian's chromium (apt-get install chromium; .ci/run does) or set EVALSTATS_CHROMIUM.");
    }

    internal static string RunChromium(params string[] args)
    {
        var profile = Path.Combine(Path.GetTempPath(), "evalstats-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                     "--disable-extensions", $"--user-data-dir={profile}", .. args])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 3 minutes");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    [Fact]
    public void Screenshot_IsNotBlank_AndShowsTheCharts()
    {
        var index = Path.Combine(DemoReport.Out, "index.html");
        var shot = Path.Combine(Path.GetTempPath(), "evalstats-tests", Guid.NewGuid().ToString("N") + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        // Tall enough to reach the first outcome's chart below the data and the ledger.
        RunChromium("--window-size=1280,7000", $"--screenshot={shot}", new Uri(index).AbsoluteUri);
        using var bitmap = SKBitmap.Decode(shot);
        Assert.NotNull(bitmap);
        Assert.Equal((1280, 7000), (bitmap.Width, bitmap.Height));
        long ink = 0;
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (p.Red < 200 || p.Green < 200 || p.Blue < 200) ink++;
                colours.Add((uint)p);
            }
        double share = ink / (bitmap.Width / 2.0 * bitmap.Height / 2.0);
        Assert.True(share > 0.02, $"only {share:P2} of the page is not near-white");
        Assert.True(colours.Count > 50, $"only {colours.Count} colours on the page");
        // The charts' comparison-post orange appears nowhere else on the page: the embedded PNG was drawn.
        Assert.True(CellBarsChartTests.PixelsOf(bitmap, SKColor.Parse(CellBarsChart.CellColours[3])) > 500, "no chart bars in the screenshot");
    }

    [Fact]
    public void Dom_AfterLoad_HasTheTables_AndEveryImageDecoded()
    {
        // A copy of the page with a script that records, after load, how many images the browser decoded.
        var check = Path.Combine(DemoReport.Out, "..", "index-check.html");
        var html = File.ReadAllText(Path.Combine(DemoReport.Out, "index.html"));
        const string probe = "<script>addEventListener('load',()=>{const i=[...document.images];" +
                             "document.body.dataset.images=i.length;" +
                             "document.body.dataset.decoded=i.filter(x=>x.complete&&x.naturalWidth>0&&x.naturalHeight>0).length;" +
                             "document.body.dataset.tables=document.querySelectorAll('table.es').length;" +
                             // per added section: its images, and those decoded (the programme block's forest plots are in the outcome sections)
                             "for(const s of ['trends','economics','indicators']){const j=[...document.querySelectorAll('#'+s+' img')];" +
                             "document.body.dataset[s+'Images']=j.length;document.body.dataset[s+'Decoded']=j.filter(x=>x.complete&&x.naturalWidth>0).length;}" +
                             "const f=[...document.querySelectorAll('figure[id^=chart-forest-] img')];document.body.dataset.forestImages=f.length;" +
                             "document.body.dataset.forestDecoded=f.filter(x=>x.complete&&x.naturalWidth>0).length;});</script>";
        File.WriteAllText(check, html.Replace("</body>", probe + "</body>"));
        var dom = RunChromium("--virtual-time-budget=10000", "--dump-dom", new Uri(Path.GetFullPath(check)).AbsoluteUri);

        var body = Regex.Match(dom, "<body([^>]*)>");
        Assert.True(body.Success, dom.Length > 500 ? dom[..500] : dom);
        int Data(string name) => int.Parse(Regex.Match(body.Groups[1].Value, $"data-{name}=\"(\\d+)\"").Groups[1].Value);
        int charts = Directory.GetFiles(Path.Combine(DemoReport.Out, "charts"), "*.png").Length;
        Assert.Equal(charts, Data("images"));
        Assert.Equal(charts, Data("decoded"));
        // The added sections' charts: there, and decoded by the browser.
        Assert.Equal(DemoReport.Outcomes.Length, Data("forest-images"));
        foreach (var s in new[] { "forest", "trends", "economics", "indicators" })
        {
            Assert.True(Data($"{s}-images") > 0, s);
            Assert.Equal(Data($"{s}-images"), Data($"{s}-decoded"));
        }
        Assert.Equal(Directory.GetFiles(Path.Combine(DemoReport.Out, "tables")).Length, Data("tables"));

        // The DiD table of each outcome is in the DOM with a header row and a row per pair.
        foreach (var o in DemoReport.Outcomes)
        {
            var table = Regex.Match(dom, $"<table class=\"es\" id=\"table-did-{o}\">(.*?)</table>", RegexOptions.Singleline);
            Assert.True(table.Success, o);
            Assert.Equal(1 + 6, Regex.Matches(table.Groups[1].Value, "<tr>").Count);
            Assert.Contains("site 6", table.Groups[1].Value);
        }
        Assert.Contains("id=\"table-exclusions-journeys\"", dom);
    }
}
