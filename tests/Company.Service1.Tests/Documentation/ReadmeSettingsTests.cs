using System.Reflection;

namespace Company.Service1.Tests.Documentation;

/// <summary>The README's settings table (## Configuration) and the options classes, checked against each other.</summary>
public sealed class ReadmeSettingsTests
{
    /// <summary>
    /// Rows that are settings but not options properties, each read by the framework, a library or one line of the
    /// service's own code rather than bound to an options class.
    /// </summary>
    private static readonly Dictionary<string, string> NotOptions = new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_HTTP_PORTS"] = "Kestrel's own port setting",
        ["ASPNETCORE_ENVIRONMENT"] = "the host's environment name",
        ["ConnectionStrings__Postgres"] = "a connection string, read with GetConnectionString",
        ["Logging__LogLevel__<namespace>"] = "Microsoft.Extensions.Logging's filter rules, one key per namespace",
        ["EventLog__SourceName"] = "the Event Log provider's source, read as one key where the provider is added",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "the OpenTelemetry SDK's standard exporter variables",
        ["OTEL_RESOURCE_ATTRIBUTES"] = "the OpenTelemetry SDK's standard resource variable",
        ["OTEL_SERVICE_NAME"] = "the OpenTelemetry standard service name, also used by the logs",
        ["K8S_POD_NAME"] = "the downward-API variables the chart sets, read for the telemetry resource",
    };

    [Fact]
    public void Every_options_property_has_a_row_in_the_settings_table()
    {
        var rows = Rows().Select(r => r.Variable).ToHashSet(StringComparer.Ordinal);

        var missing = OptionsSettings().Where(s => !rows.Contains(s.Variable))
            .Select(s => $"{s.Variable} ({s.Options}.{s.Property})").ToList();

        Assert.True(missing.Count == 0,
            "README.md's settings table (## Configuration) has no row for: " + string.Join(", ", missing)
            + ". Add a row | `Section:Property` | `Section__Property` | default | meaning | for each.");
    }

    [Fact]
    public void Every_row_of_the_settings_table_names_a_real_setting()
    {
        if (!Readme.AllPartsPresent)
        {
            // A generated repository keeps the rows of the parts its options dropped (the database's settings).
            return;
        }

        var known = OptionsSettings().Select(s => s.Variable).Concat(NotOptions.Keys).ToHashSet(StringComparer.Ordinal);

        var unknown = Rows().Where(r => !known.Contains(r.Variable)).Select(r => r.Variable).ToList();

        Assert.True(unknown.Count == 0,
            "README.md's settings table has rows that name no options property and no known variable: " + string.Join(", ", unknown)
            + ". Fix the name, remove the row, or, for a setting read outside the options classes, add it with its reason "
            + $"to {nameof(ReadmeSettingsTests)}.{nameof(NotOptions)}.");
    }

    [Fact]
    public void The_setting_column_is_the_environment_variable_in_configuration_form()
    {
        var mismatched = Rows().Where(r => r.Variable.Contains("__", StringComparison.Ordinal))
            .Where(r => r.Setting != r.Variable.Replace("__", ":", StringComparison.Ordinal))
            .Select(r => $"`{r.Setting}` | `{r.Variable}`").ToList();

        Assert.True(mismatched.Count == 0,
            "README.md's settings table: the Setting column must be the environment variable with ':' for '__', in: "
            + string.Join(", ", mismatched));
    }

    [Fact]
    public void Every_setting_the_allow_list_names_has_a_row()
    {
        var rows = Rows().Select(r => r.Variable).ToHashSet(StringComparer.Ordinal);

        var stale = NotOptions.Keys.Where(k => !rows.Contains(k)).ToList();

        Assert.True(stale.Count == 0,
            $"{nameof(ReadmeSettingsTests)}.{nameof(NotOptions)} names settings README.md's table has no row for: "
            + string.Join(", ", stale) + ". Remove them from the list, or add their rows.");
    }

    /// <summary>Each row's Setting cell and its environment variable: the first name in backticks of each cell.</summary>
    private static IEnumerable<(string Setting, string Variable)> Rows() =>
        Readme.TableRows(Readme.Section("Configuration")).Select(cells => (FirstCode(cells[0]), FirstCode(cells[1])));

    private static string FirstCode(string cell)
    {
        var start = cell.IndexOf('`', StringComparison.Ordinal);
        var end = start < 0 ? -1 : cell.IndexOf('`', start + 1);
        return end < 0 ? cell : cell[(start + 1)..end];
    }

    /// <summary>
    /// Every property the configuration binder fills, in environment-variable form: the service's options classes
    /// are the classes with a <c>public const string Section</c>, and the binder sets their public settable properties.
    /// </summary>
    private static IEnumerable<(string Options, string Property, string Variable)> OptionsSettings() =>
        from type in typeof(Program).Assembly.GetTypes()
        let section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where section is { IsLiteral: true } && section.FieldType == typeof(string)
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        where property.SetMethod is { IsPublic: true }
        orderby type.Name, property.Name
        select (type.Name, property.Name, $"{section.GetRawConstantValue()}__{property.Name}");
}
