namespace Company.Service1.Tests.Todos;

public sealed class TodoIdsTests
{
    [Fact]
    public void Ids_made_in_the_same_millisecond_still_sort_in_creation_order()
    {
        var now = DateTimeOffset.UtcNow;

        var ids = Enumerable.Range(0, 10_000).Select(_ => TodoIds.Next(now)).ToList();

        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public void Incrementing_carries_into_the_next_byte_and_keeps_the_variant()
    {
        var id = Guid.Parse("01890a5d-ac96-774b-bcce-b302099a00ff");

        var next = TodoIds.Increment(id);

        Assert.Equal(Guid.Parse("01890a5d-ac96-774b-bcce-b302099a0100"), next);
        Assert.Equal(id.Variant, next.Variant);
    }
}
