using Company.Service1.Platform.Errors;
using Microsoft.AspNetCore.Http;

namespace Company.Service1.Tests.Platform.Errors;

/// <summary>
/// The answers a handler gives for the mistakes it detects itself: each helper's status, type, title and detail, which
/// every service built on this one shows its clients without its own tests reading them.
/// </summary>
public sealed class ProblemHelpersTests
{
    private const string Type = "urn:problem-type:company-service1:";

    [Fact]
    public void Invalid_values_are_a_422_with_the_errors_of_each_field()
    {
        var problem = Problems.Validation(new Dictionary<string, string[]> { ["title"] = ["The title is required."] }).ProblemDetails;

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.Status);
        Assert.Equal(Type + "validation-failed", problem.Type);
        Assert.Equal("The request has invalid values.", problem.Title);
        Assert.Equal("See errors for each field that was rejected.", problem.Detail);
        Assert.Equal(["The title is required."], Assert.IsType<HttpValidationProblemDetails>(problem).Errors["title"]);
    }

    [Fact]
    public void A_bad_parameter_is_a_400_naming_the_parameter_with_its_message_as_the_detail()
    {
        var problem = Problems.BadParameter("limit", "The limit must be between 1 and 100.").ProblemDetails;

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(Type + "malformed-request", problem.Type);
        Assert.Equal("The request is malformed.", problem.Title);
        Assert.Equal("The limit must be between 1 and 100.", problem.Detail);
        Assert.Equal(["The limit must be between 1 and 100."], Assert.IsType<HttpValidationProblemDetails>(problem).Errors["limit"]);
    }

    [Theory]
    [InlineData("not-found", 404, "not-found", "The resource does not exist.")]
    [InlineData("precondition-failed", 412, "precondition-failed", "The resource has changed.")]
    [InlineData("precondition-required", 428, "precondition-required", "A precondition is required.")]
    public void A_handlers_refusal_has_its_status_type_and_title_and_the_handlers_detail(string helper, int status, string type, string title)
    {
        const string Detail = "No todo has id 7.";
        var result = helper switch
        {
            "not-found" => Problems.NotFound(Detail),
            "precondition-failed" => Problems.PreconditionFailed(Detail),
            _ => Problems.PreconditionRequired(Detail),
        };

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(Type + type, result.ProblemDetails.Type);
        Assert.Equal(title, result.ProblemDetails.Title);
        Assert.Equal(Detail, result.ProblemDetails.Detail);
    }
}
