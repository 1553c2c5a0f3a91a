namespace Observability.Tests.Infrastructure;

/// <summary>
/// Tests that must not share the process with another running host. Activity listeners are process-wide: while any
/// other in-process service (sampling every trace) is up, it records this test's requests too, whatever this test's
/// own sampler decided. xUnit runs this collection after the parallel ones, on its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "alone";
}
