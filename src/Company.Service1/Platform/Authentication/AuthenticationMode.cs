namespace Company.Service1.Platform.Authentication;

/// <summary>How the API authenticates, decided once at startup.</summary>
public enum AuthenticationMode
{
    /// <summary>The typed settings: an authority, or an issuer with signing keys.</summary>
    Configured,

    /// <summary>Development only: the keys <c>dotnet user-jwts</c> keeps in user secrets.</summary>
    UserJwts,

    /// <summary>Authentication:Disabled: open on purpose.</summary>
    Disabled,

    /// <summary>Development with nothing configured: open, for the zero-configuration <c>dotnet run</c>.</summary>
    DevelopmentOpen,

    /// <summary>Nothing configured outside Development: startup fails.</summary>
    Refused,
}
