namespace Company.Service1.Platform.Configuration;

/// <summary>A configuration problem found by our own code (rather than by options validation); StartupFailure reports it as one line.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
