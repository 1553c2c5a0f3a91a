namespace Company.Service1.Platform.Hosting;

/// <summary>What the binary was asked to do: serve (the default), apply migrations, or probe a running instance.</summary>
public enum ServiceCommandKind
{
    Serve,
    //#if (postgres)
    Migrate,
    //#endif
    Healthcheck,
}

/// <summary>The command word (first argument) split from the host arguments that follow it.</summary>
public sealed record ServiceCommand(ServiceCommandKind Kind, string[] HostArgs)
{
    public static ServiceCommand Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return new(ServiceCommandKind.Serve, args);
        }

        return args[0] switch
        {
            //#if (postgres)
            "migrate" => new(ServiceCommandKind.Migrate, args[1..]),
            //#endif
            "healthcheck" => new(ServiceCommandKind.Healthcheck, args[1..]),
            "serve" => new(ServiceCommandKind.Serve, args[1..]),
            _ => new(ServiceCommandKind.Serve, args),
        };
    }
}
