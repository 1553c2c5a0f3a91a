using System.Text;
using System.Text.RegularExpressions;

namespace Company.Service1.Container.Tests;

/// <summary>One instruction of a Dockerfile, continuation lines joined.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Line);

/// <summary>One build stage: its FROM and the instructions that follow it.</summary>
public sealed record DockerStage(string? Name, string BaseImage, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction Last(string keyword) =>
        Instructions.LastOrDefault(i => i.Keyword == keyword) ?? throw new InvalidOperationException($"stage {Name} has no {keyword}");
}

/// <summary>
/// A Dockerfile read the way the builder reads it: parser directives (`# escape=`), comments, line
/// continuations, global ARGs before the first FROM, and stages. Throws <see cref="FormatException"/> with the
/// line number for what the builder would refuse.
/// </summary>
public sealed partial class Dockerfile
{
    private static readonly HashSet<string> Keywords =
    [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
        "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ];

    private Dockerfile(char escape, IReadOnlyList<DockerInstruction> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        Escape = escape;
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public char Escape { get; }

    /// <summary>The ARGs before the first FROM: the only variables FROM lines may use.</summary>
    public IReadOnlyList<DockerInstruction> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"no stage named {name}");

    /// <summary>The default of a global ARG, or null when it has none.</summary>
    public string? GlobalArgDefault(string name) =>
        GlobalArgs.Select(a => a.Arguments.Split('=', 2)).Where(p => p[0] == name).Select(p => p.Length > 1 ? p[1] : null).LastOrDefault();

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path));

    public static Dockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var escape = '\\';
        var index = 0;

        // Parser directives: `# directive=value` lines at the very top, before any comment or instruction.
        for (; index < lines.Length; index++)
        {
            var directive = DirectivePattern().Match(lines[index]);
            if (!directive.Success)
            {
                break;
            }

            if (directive.Groups[1].Value.Equals("escape", StringComparison.OrdinalIgnoreCase))
            {
                escape = directive.Groups[2].Value switch
                {
                    "\\" => '\\',
                    "`" => '`',
                    var other => throw new FormatException($"line {index + 1}: escape must be \\ or `, not '{other}'"),
                };
            }
        }

        var instructions = new List<DockerInstruction>();
        var logical = new StringBuilder();
        var startLine = 0;
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && logical.Length > 0))
            {
                continue; // comments (also inside continuations) and blank continuation lines
            }

            if (trimmed.Length == 0)
            {
                continue;
            }

            if (logical.Length == 0)
            {
                startLine = index + 1;
            }

            var trimmedEnd = line.TrimEnd();
            if (trimmedEnd.EndsWith(escape))
            {
                logical.Append(trimmedEnd[..^1]).Append(' ');
                continue;
            }

            logical.Append(trimmedEnd);
            instructions.Add(ToInstruction(logical.ToString().Trim(), startLine));
            logical.Clear();
        }

        if (logical.Length > 0)
        {
            throw new FormatException($"line {startLine}: the file ends inside a line continuation");
        }

        return Build(escape, instructions);
    }

    private static DockerInstruction ToInstruction(string text, int line)
    {
        var split = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        var keyword = split[0].ToUpperInvariant();
        if (!Keywords.Contains(keyword))
        {
            throw new FormatException($"line {line}: unknown instruction '{split[0]}'");
        }

        if (split.Length < 2)
        {
            throw new FormatException($"line {line}: {keyword} has no arguments");
        }

        return new DockerInstruction(keyword, split[1].Trim(), line);
    }

    private static Dockerfile Build(char escape, List<DockerInstruction> instructions)
    {
        var globalArgs = instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        if (globalArgs.FirstOrDefault(i => i.Keyword != "ARG") is { } early)
        {
            throw new FormatException($"line {early.Line}: only ARG may come before the first FROM, not {early.Keyword}");
        }

        var declared = globalArgs.Select(a => a.Arguments.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions.Skip(globalArgs.Count))
        {
            if (instruction.Keyword == "FROM")
            {
                var from = FromPattern().Match(instruction.Arguments);
                if (!from.Success)
                {
                    throw new FormatException($"line {instruction.Line}: FROM must be 'FROM image [AS name]'");
                }

                var image = from.Groups["image"].Value;
                foreach (Match variable in VariablePattern().Matches(image))
                {
                    var name = variable.Groups["braced"].Success ? variable.Groups["braced"].Value : variable.Groups["bare"].Value;
                    if (!declared.Contains(name))
                    {
                        throw new FormatException($"line {instruction.Line}: FROM uses ${name}, which no ARG before the first FROM declares");
                    }
                }

                var stageName = from.Groups["name"].Success ? from.Groups["name"].Value : null;
                if (stageName is not null && stages.Any(s => s.Name == stageName))
                {
                    throw new FormatException($"line {instruction.Line}: stage name {stageName} is used twice");
                }

                stages.Add(new DockerStage(stageName, image, []));
                continue;
            }

            var current = stages[^1];
            foreach (Match copyFrom in CopyFromPattern().Matches(instruction.Arguments))
            {
                var source = copyFrom.Groups[1].Value;
                if (!stages.Take(stages.Count - 1).Any(s => s.Name == source))
                {
                    throw new FormatException($"line {instruction.Line}: --from={source} names no earlier stage");
                }
            }

            stages[^1] = current with { Instructions = [.. current.Instructions, instruction] };
        }

        return new Dockerfile(escape, globalArgs, stages);
    }

    [GeneratedRegex(@"^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"^(--platform=\S+\s+)?(?<image>\S+)(\s+[Aa][Ss]\s+(?<name>[a-z][a-z0-9_.-]*))?$")]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"\$(\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"--from=(\S+)")]
    private static partial Regex CopyFromPattern();
}
