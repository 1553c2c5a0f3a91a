using Charts.Tests.Infrastructure;

namespace Charts.Tests;

[Collection(RenderedSetsGroup.Name)]
public sealed class StrictSchemaTests(RenderedSets rendered)
{
    [Theory]
    [MemberData(nameof(SetNames.All), MemberType = typeof(SetNames))]
    public void Every_object_validates_strictly_against_its_API_schema(string set)
    {
        Assert.NotEmpty(rendered[set]);
        Assert.Empty(rendered.ValidationErrors[set]);
    }

    [Fact]
    public void A_misspelled_field_fails_strict_validation()
    {
        var error = Assert.Single(rendered.ValidationErrors[RenderedSets.MisspelledControl]);
        Assert.Contains("readinesProbe\"' does not exist in type 'IContainer'", error, StringComparison.Ordinal);
    }
}
