using System.Diagnostics;

namespace Evaluation.Stats.Tests;

/// <summary>
/// A .NET 10 file-based app (<c>dotnet run app.cs</c>, which turns reflection-based System.Text.Json off, as
/// trimmed and AOT apps do) loads a design file through the Data project: the design contract is source-generated.
/// </summary>
public class FileBasedAppTests
{
    [Fact]
    public async Task DotnetRunAppCs_LoadsADesign()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Evaluation.Stats.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no repository root");
        var dir = Path.Combine(Path.GetTempPath(), "evalstats-app-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var project = Path.Combine(root, "src", "Evaluation.Stats.Data", "Evaluation.Stats.Data.csproj");
        File.WriteAllText(Path.Combine(dir, "app.cs"), $$"""
            #:project {{project}}
            using Evaluation.Stats.Data;
            var design = DesignFile.Load(args[0]);
            Console.WriteLine($"pairs={design.Pairs.Count} followUp={design.FollowUpDays} first={design.Pairs[0].Name}");
            """);
        var start = new ProcessStartInfo("dotnet", ["run", "app.cs", "--", CliTests.Fixture("demo", "design.json")])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(8)), "dotnet run app.cs did not finish");
        string stdout = await output, stderr = await error;
        Assert.True(process.ExitCode == 0, stdout + stderr);
        Assert.Contains("pairs=6 followUp=42 first=site 1", stdout);
    }
}
