namespace Company.Service1.Platform.Errors;

/// <summary>
/// The stable <c>type</c> of every problem this service answers with (RFC 9457). Clients branch on these,
/// never on <c>title</c> or <c>detail</c>, so they never change once published.
/// </summary>
public static class ProblemTypes
{
    private const string Base = "urn:problem-type:company-service1:";

    public const string MalformedRequest = Base + "malformed-request";
    public const string ValidationFailed = Base + "validation-failed";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string NotFound = Base + "not-found";
    public const string MethodNotAllowed = Base + "method-not-allowed";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string PreconditionRequired = Base + "precondition-required";
    public const string PayloadTooLarge = Base + "payload-too-large";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string RateLimited = Base + "rate-limited";
    public const string IdentityProviderUnavailable = Base + "identity-provider-unavailable";
    //#if (postgres)
    public const string DatabaseUnavailable = Base + "database-unavailable";
    //#endif
    public const string InjectedFault = Base + "injected-fault";
    public const string Internal = Base + "internal-error";
    public const string Other = Base + "http-error";

    /// <summary>The type for a status code whose problem carries no more specific type.</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => MalformedRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status412PreconditionFailed => PreconditionFailed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status422UnprocessableEntity => ValidationFailed,
        StatusCodes.Status428PreconditionRequired => PreconditionRequired,
        StatusCodes.Status429TooManyRequests => RateLimited,
        StatusCodes.Status500InternalServerError => Internal,
        _ => Other,
    };
}
