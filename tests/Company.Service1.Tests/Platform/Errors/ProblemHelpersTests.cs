using Company.Service1.Platform.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

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
        var result = Problems.Validation(new Dictionary<string, string[]> { ["title"] = ["The title is required."] });

        AssertAnswer(result, 422, "validation-failed", "The request has invalid values.", "See errors for each field that was rejected.");
        Assert.Equal(["The title is required."], Assert.IsType<HttpValidationProblemDetails>(result.ProblemDetails).Errors["title"]);
    }

    [Fact]
    public void A_bad_parameter_is_a_400_naming_the_parameter_with_its_message_as_the_detail()
    {
        const string Message = "The limit must be between 1 and 100.";
        var result = Problems.BadParameter("limit", Message);

        AssertAnswer(result, 400, "malformed-request", "The request is malformed.", Message);
        Assert.Equal([Message], Assert.IsType<HttpValidationProblemDetails>(result.ProblemDetails).Errors["limit"]);
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

        AssertAnswer(result, status, type, title, Detail);
    }

    private static void AssertAnswer(ProblemHttpResult result, int status, string type, string title, string detail)
    {
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(status, result.ProblemDetails.Status);
        Assert.Equal(Type + type, result.ProblemDetails.Type);
        Assert.Equal(title, result.ProblemDetails.Title);
        Assert.Equal(detail, result.ProblemDetails.Detail);
    }
}
