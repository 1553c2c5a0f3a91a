namespace Company.Service1.Tests.Todos;

public sealed class TodoRulesTests
{
    [Theory]
    [InlineData(null, "title is required.")]
    [InlineData("   ", "title must not be blank.")]
    [InlineData("tab\tinside", "title must not contain control characters.")]
    public void A_bad_title_is_rejected_with_a_reason(string? title, string reason)
    {
        var errors = TodoRules.Validate(new TodoInput { Title = title }, isReplacement: false);
        Assert.Equal([reason], errors["title"]);
    }

    [Fact]
    public void A_title_of_exactly_the_maximum_length_is_accepted_and_one_more_is_not()
    {
        Assert.Empty(TodoRules.Validate(new TodoInput { Title = new string('a', TodoRules.MaxTitleLength) }, isReplacement: false));
        Assert.Contains("title", TodoRules.Validate(new TodoInput { Title = new string('a', TodoRules.MaxTitleLength + 1) }, isReplacement: false).Keys);
    }

    [Fact]
    public void A_replacement_must_say_whether_the_todo_is_done()
    {
        var errors = TodoRules.Validate(new TodoInput { Title = "x" }, isReplacement: true);
        Assert.Equal(["done"], errors.Keys);
    }
}
