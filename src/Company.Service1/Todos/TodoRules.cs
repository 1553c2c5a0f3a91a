namespace Company.Service1.Todos;

/// <summary>What a valid todo looks like. Failures are keyed by the JSON field name, for problem details.</summary>
public static class TodoRules
{
    public const int MaxTitleLength = 200;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Validates a body; <paramref name="isReplacement"/> (PUT) requires every field.</summary>
    public static Dictionary<string, string[]> Validate(TodoInput input, bool isReplacement)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (input.Title is null)
        {
            errors["title"] = ["title is required."];
        }
        else if (string.IsNullOrWhiteSpace(input.Title))
        {
            errors["title"] = ["title must not be blank."];
        }
        else if (input.Title.Trim().Length > MaxTitleLength)
        {
            errors["title"] = [$"title must be at most {MaxTitleLength} characters."];
        }
        else if (input.Title.Any(char.IsControl))
        {
            errors["title"] = ["title must not contain control characters."];
        }

        if (isReplacement && input.Done is null)
        {
            errors["done"] = ["done is required when replacing a todo."];
        }

        return errors;
    }
}
