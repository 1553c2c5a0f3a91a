using System.Net;
using System.Text;

namespace Company.Service1.Tests.Todos.BadInput;

/// <summary>
/// One client mistake and the answer it must get. <see cref="KestrelOnly"/> cases need the real web server
/// (body size limits, header limits); <see cref="ServerRejects"/> cases are refused by Kestrel itself before
/// the application runs, so they carry a status but no problem body.
/// </summary>
public sealed record BadInputCase(
    string Name,
    string Method,
    string Path,
    HttpStatusCode Status,
    string? Body = null,
    string? ContentType = "application/json",
    string? Type = null,
    string? Field = null,
    string? IfMatch = null,
    bool KestrelOnly = false,
    bool ServerRejects = false,
    Dictionary<string, string>? Headers = null)
{
    /// <summary>The placeholder in <see cref="Path"/> replaced by the id of a todo that exists.</summary>
    public const string ExistingId = "{existing}";

    public override string ToString() => Name;

    public HttpRequestMessage ToRequest(string existingId)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path.Replace(ExistingId, existingId, StringComparison.Ordinal));
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        // Large bodies ask before sending, as curl does: the server can refuse (413) without the client still
        // writing into a connection the server has closed.
        if (Body is { Length: > 65_536 })
        {
            request.Headers.ExpectContinue = true;
        }

        if (IfMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", IfMatch);
        }

        foreach (var (name, value) in Headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
