using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Company.Service1.Platform.Configuration;

/// <summary>How log lines are written to stdout. The levels (<c>Logging:LogLevel</c>) are Microsoft.Extensions.Logging's.</summary>
public sealed class LoggingOptions
{
    public const string Section = "Logging";

    /// <summary>
    /// <see cref="LogFormat.Auto"/>: readable lines in Development when stdout is a terminal, ECS JSON everywhere else.
    /// </summary>
    [EnumDataType(typeof(LogFormat))]
    public LogFormat Format { get; set; } = LogFormat.Auto;
}

public enum LogFormat
{
    /// <summary>Text in Development with a terminal attached, JSON otherwise.</summary>
    Auto,

    /// <summary>One ECS JSON object per line, for log collectors.</summary>
    Json,

    /// <summary>One readable line per event (time, level, message, trace id), for a person.</summary>
    Text,
}

[OptionsValidator]
public sealed partial class LoggingOptionsValidator : IValidateOptions<LoggingOptions>;
