namespace Company.Service1.Platform.Health;

/// <summary>Which probe a health check belongs to. Liveness has none on purpose: see HealthEndpoints.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}
