using System.Globalization;
using System.Management.Automation.Language;

namespace Company.Service1.Hosting.Tests.Windows;

/// <summary>
/// install.ps1 read through PowerShell's own parser: parameter defaults, the sc.exe calls (made through the
/// script's Invoke-Sc wrapper) and other commands, with variables resolved to their parameter defaults.
/// </summary>
public sealed class InstallScript
{
    private readonly ScriptBlockAst _ast;

    private InstallScript(ScriptBlockAst ast) => _ast = ast;

    public static InstallScript Load(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        return errors.Length == 0 ? new InstallScript(ast) : throw new InvalidOperationException($"{path}: {errors[0].Message}");
    }

    /// <summary>The default value of a parameter, with references to earlier parameters resolved.</summary>
    public string Default(string parameter)
    {
        var declared = _ast.ParamBlock.Parameters.SingleOrDefault(p => p.Name.VariablePath.UserPath == parameter)
            ?? throw new InvalidOperationException($"install.ps1 has no parameter -{parameter}");
        return Resolve(declared.DefaultValue ?? throw new InvalidOperationException($"-{parameter} has no default"));
    }

    /// <summary>A literal, a parameter, or a string built from parameters, as its value under the defaults.</summary>
    public string Resolve(Ast node) => node switch
    {
        StringConstantExpressionAst text => text.Value,
        ConstantExpressionAst constant => Convert.ToString(constant.Value, CultureInfo.InvariantCulture)!,
        VariableExpressionAst variable => Default(variable.VariablePath.UserPath),
        ExpandableStringExpressionAst expandable => expandable.NestedExpressions.OfType<VariableExpressionAst>()
            .Aggregate(expandable.Value, (text, v) => text.Replace(v.Extent.Text, Default(v.VariablePath.UserPath), StringComparison.Ordinal)),
        _ => throw new InvalidOperationException($"Cannot resolve '{node.Extent.Text}' statically"),
    };

    /// <summary>The resolved arguments of the one `Invoke-Sc &lt;subcommand&gt; ...` call, subcommand excluded.</summary>
    public IReadOnlyList<string> ScArguments(string subcommand)
    {
        var calls = Commands("Invoke-Sc").Where(c => c.CommandElements.Count > 1 && c.CommandElements[1].Extent.Text == subcommand).ToList();
        return calls.Count == 1
            ? [.. calls[0].CommandElements.Skip(2).Select(Resolve)]
            : throw new InvalidOperationException($"Expected one 'Invoke-Sc {subcommand}' call, found {calls.Count}");
    }

    /// <summary>The value after an sc.exe option such as `start=`.</summary>
    public string ScOption(string subcommand, string option)
    {
        var arguments = ScArguments(subcommand);
        var index = arguments.ToList().IndexOf(option);
        return index >= 0 && index + 1 < arguments.Count
            ? arguments[index + 1]
            : throw new InvalidOperationException($"'Invoke-Sc {subcommand}' has no {option} value");
    }

    public Command Command(string name)
    {
        var found = Commands(name).ToList();
        return found.Count == 1 ? new Command(found[0]) : throw new InvalidOperationException($"Expected one {name} call, found {found.Count}");
    }

    /// <summary>The one call of a .NET method such as [EventLog]::CreateEventSource(...).</summary>
    public InvokeMemberExpressionAst Call(string method) =>
        _ast.FindAll(n => n is InvokeMemberExpressionAst m && m.Member.Extent.Text == method, true).Cast<InvokeMemberExpressionAst>().Single();

    /// <summary>The value the script stores for an environment variable of the service (`$variables['KEY'] = value`).</summary>
    public string EnvironmentEntry(string key)
    {
        var assignment = _ast.FindAll(n => n is AssignmentStatementAst, true).Cast<AssignmentStatementAst>()
            .Single(a => a.Left is IndexExpressionAst { Target: VariableExpressionAst { VariablePath.UserPath: "variables" }, Index: StringConstantExpressionAst index }
                && index.Value == key);
        return Resolve(((CommandExpressionAst)assignment.Right).Expression);
    }

    private IEnumerable<CommandAst> Commands(string name) =>
        _ast.FindAll(n => n is CommandAst c && string.Equals(c.GetCommandName(), name, StringComparison.OrdinalIgnoreCase), true).Cast<CommandAst>();
}

/// <summary>One command call and its named arguments.</summary>
public sealed class Command(CommandAst ast)
{
    public Ast Named(string parameter)
    {
        var elements = ast.CommandElements;
        for (var i = 0; i < elements.Count; i++)
        {
            if (elements[i] is CommandParameterAst p && string.Equals(p.ParameterName, parameter, StringComparison.OrdinalIgnoreCase))
            {
                return p.Argument ?? elements[i + 1];
            }
        }

        throw new InvalidOperationException($"{ast.GetCommandName()} has no -{parameter}");
    }
}
