using System.Text;

namespace Evaluation.Stats.Tool;

/// <summary>
/// Where `--out` writes (methodology §9, "Outputs"): never over an existing file unless `--force` is given, never
/// through a symbolic link (with or without `--force`), and a path that is not a usable directory (/dev/null, an
/// existing file) is a usage error, exit 2, with a message.
/// </summary>
internal static class OutputFiles
{
    /// <summary>Checks that <paramref name="directory"/> can take <paramref name="names"/>, and creates it.</summary>
    /// <exception cref="UsageException">When it cannot, saying why.</exception>
    public static void Prepare(string directory, IEnumerable<string> names, bool force)
    {
        var dir = new DirectoryInfo(directory);
        if (dir.LinkTarget is not null) throw new UsageException($"--out {directory}: is a symbolic link; give the real directory (outputs never follow links)");
        if (File.Exists(directory) || (Path.Exists(directory) && !Directory.Exists(directory)))
            throw new UsageException($"--out {directory}: exists and is not a directory");
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {directory}: cannot create the directory ({e.Message})");
        }
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            var file = new FileInfo(path);
            if (file.LinkTarget is not null) throw new UsageException($"--out: {path} is a symbolic link; outputs never follow links, so remove it first");
            if (Directory.Exists(path)) throw new UsageException($"--out: {path} is a directory");
            if (file.Exists && !force) throw new UsageException($"--out: {path} exists; give --force to overwrite it");
        }
    }

    /// <summary>Writes a new file (an existing regular file is replaced only after <see cref="Prepare"/> allowed it).</summary>
    public static void Write(string path, string text)
    {
        var file = new FileInfo(path);
        if (file.LinkTarget is not null) throw new UsageException($"--out: {path} is a symbolic link; outputs never follow links");
        if (file.Exists) file.Delete(); // replaced, not written through: a link made meanwhile is not followed
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(text);
    }
}
