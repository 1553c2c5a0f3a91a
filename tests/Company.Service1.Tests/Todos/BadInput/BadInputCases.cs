using System.Net;

namespace Company.Service1.Tests.Todos.BadInput;

/// <summary>The battery: every way a client can get a request wrong, and the 4xx it must get back.</summary>
public static class BadInputCases
{
    private const string Todos = "/api/v1/todos";
    private const string One = $"{Todos}/{BadInputCase.ExistingId}";
    private const HttpStatusCode Bad = HttpStatusCode.BadRequest;
    private const HttpStatusCode Invalid = HttpStatusCode.UnprocessableEntity;

    public static IReadOnlyList<BadInputCase> All { get; } =
    [
        // Bodies that are not JSON, or not the right JSON.
        new("truncated JSON", "POST", Todos, Bad, """{"title":""", Type: "malformed-request", Field: "title"),
        new("plain words as JSON", "POST", Todos, Bad, "not json at all", Type: "malformed-request"),
        new("empty body", "POST", Todos, Bad, "", Type: "malformed-request", Field: "body"),
        new("array instead of object", "POST", Todos, Bad, "[]", Type: "malformed-request"),
        new("string instead of object", "POST", Todos, Bad, "\"todo\"", Type: "malformed-request"),
        new("JSON null body", "POST", Todos, Bad, "null", Type: "malformed-request"),
        new("trailing garbage", "POST", Todos, Bad, """{"title":"a"} trailing""", Type: "malformed-request"),
        new("title is a number", "POST", Todos, Bad, """{"title":5}""", Type: "malformed-request", Field: "title"),
        new("title is a boolean", "POST", Todos, Bad, """{"title":true}""", Type: "malformed-request", Field: "title"),
        new("title is an array", "POST", Todos, Bad, """{"title":["a"]}""", Type: "malformed-request", Field: "title"),
        new("title is an object", "POST", Todos, Bad, """{"title":{"a":1}}""", Type: "malformed-request", Field: "title"),
        new("done is a string", "POST", Todos, Bad, """{"title":"ok","done":"yes"}""", Type: "malformed-request", Field: "done"),
        new("done is a number", "POST", Todos, Bad, """{"title":"ok","done":1}""", Type: "malformed-request", Field: "done"),
        new("unknown field", "POST", Todos, Bad, """{"title":"ok","priority":1}""", Type: "malformed-request", Field: "priority"),
        new("misspelled field", "POST", Todos, Bad, """{"titel":"ok"}""", Type: "malformed-request", Field: "titel"),
        new("nested too deeply", "POST", Todos, Bad, "{\"title\":" + new string('[', 64) + new string(']', 64) + "}", Type: "malformed-request"),
        // Well-formed bodies with values the rules refuse.
        new("empty object", "POST", Todos, Invalid, "{}", Type: "validation-failed", Field: "title"),
        new("title null", "POST", Todos, Invalid, """{"title":null}""", Type: "validation-failed", Field: "title"),
        new("title empty", "POST", Todos, Invalid, """{"title":""}""", Type: "validation-failed", Field: "title"),
        new("title blank", "POST", Todos, Invalid, """{"title":"    "}""", Type: "validation-failed", Field: "title"),
        new("title too long", "POST", Todos, Invalid, $$"""{"title":"{{new string('x', 201)}}"}""", Type: "validation-failed", Field: "title"),
        new("title with a control character", "POST", Todos, Invalid, """{"title":"a\u0000b"}""", Type: "validation-failed", Field: "title"),
        // Media types and sizes.
        new("text/plain body", "POST", Todos, HttpStatusCode.UnsupportedMediaType, """{"title":"a"}""", "text/plain", Type: "unsupported-media-type"),
        new("XML body", "POST", Todos, HttpStatusCode.UnsupportedMediaType, "<todo/>", "application/xml", Type: "unsupported-media-type"),
        new("form body", "POST", Todos, HttpStatusCode.UnsupportedMediaType, "title=a", "application/x-www-form-urlencoded", Type: "unsupported-media-type"),
        new("body without content type", "POST", Todos, HttpStatusCode.UnsupportedMediaType, """{"title":"a"}""", null, Type: "unsupported-media-type"),
        new("body over 1 MiB", "POST", Todos, HttpStatusCode.RequestEntityTooLarge, $$"""{"title":"{{new string('x', 1_200_000)}}"}""", Type: "payload-too-large", KestrelOnly: true),
        new("headers over 32 KiB", "GET", Todos, HttpStatusCode.RequestHeaderFieldsTooLarge, KestrelOnly: true, ServerRejects: true,
            Headers: new() { ["X-Padding"] = new string('p', 40_000) }),
        // Ids and query parameters.
        new("id not a UUID", "GET", $"{Todos}/not-a-uuid", Bad, Type: "malformed-request", Field: "id"),
        new("id a number", "GET", $"{Todos}/123", Bad, Type: "malformed-request", Field: "id"),
        new("replace with id not a UUID", "PUT", $"{Todos}/nope", Bad, """{"title":"a","done":true}""", Type: "malformed-request", Field: "id", IfMatch: "*"),
        new("delete with id not a UUID", "DELETE", $"{Todos}/zzz", Bad, Type: "malformed-request", Field: "id"),
        new("limit zero", "GET", $"{Todos}?limit=0", Bad, Type: "malformed-request", Field: "limit"),
        new("limit above the maximum", "GET", $"{Todos}?limit=101", Bad, Type: "malformed-request", Field: "limit"),
        new("limit negative", "GET", $"{Todos}?limit=-5", Bad, Type: "malformed-request", Field: "limit"),
        new("limit not a number", "GET", $"{Todos}?limit=abc", Bad, Type: "malformed-request", Field: "limit"),
        new("limit overflowing", "GET", $"{Todos}?limit=99999999999999999999", Bad, Type: "malformed-request", Field: "limit"),
        new("cursor not a cursor", "GET", $"{Todos}?cursor=xyz", Bad, Type: "malformed-request", Field: "cursor"),
        // Preconditions.
        new("replace without If-Match", "PUT", One, HttpStatusCode.PreconditionRequired, """{"title":"a","done":true}""", Type: "precondition-required"),
        new("replace with two entity tags", "PUT", One, Bad, """{"title":"a","done":true}""", Type: "malformed-request", Field: "If-Match", IfMatch: "\"1\", \"2\""),
        new("replace with a stale entity tag", "PUT", One, HttpStatusCode.PreconditionFailed, """{"title":"a","done":true}""", Type: "precondition-failed", IfMatch: "\"999\""),
        new("replace with a weak entity tag", "PUT", One, HttpStatusCode.PreconditionFailed, """{"title":"a","done":true}""", Type: "precondition-failed", IfMatch: "W/\"1\""),
        new("replace with an empty object", "PUT", One, Invalid, "{}", Type: "validation-failed", Field: "title", IfMatch: "*"),
        new("replace without done", "PUT", One, Invalid, """{"title":"a"}""", Type: "validation-failed", Field: "done", IfMatch: "*"),
        new("replace with truncated JSON", "PUT", One, Bad, """{"title":""", Type: "malformed-request", IfMatch: "*"),
        new("delete with two entity tags", "DELETE", One, Bad, Type: "malformed-request", Field: "If-Match", IfMatch: "\"1\", \"2\""),
        // Routes and methods.
        new("PATCH on the collection", "PATCH", Todos, HttpStatusCode.MethodNotAllowed, """{"title":"a"}""", Type: "method-not-allowed"),
        new("DELETE on the collection", "DELETE", Todos, HttpStatusCode.MethodNotAllowed, Type: "method-not-allowed"),
        new("POST on an item", "POST", One, HttpStatusCode.MethodNotAllowed, """{"title":"a"}""", Type: "method-not-allowed"),
        new("unknown API version", "GET", "/api/v2/todos", HttpStatusCode.NotFound, Type: "not-found"),
        new("unknown path", "GET", "/wp-admin/setup.php", HttpStatusCode.NotFound, Type: "not-found"),
        new("drill endpoint while drills are off", "GET", "/status/500", HttpStatusCode.NotFound, Type: "not-found"),
    ];

    public static TheoryData<BadInputCase> InProcess() => [.. All.Where(c => !c.KestrelOnly)];

    public static TheoryData<BadInputCase> OnTheWire() => [.. All];
}
