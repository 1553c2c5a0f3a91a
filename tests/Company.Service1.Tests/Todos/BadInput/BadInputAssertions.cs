using System.Net.Http.Json;
using System.Text.Json;

namespace Company.Service1.Tests.Todos.BadInput;

public static class BadInputAssertions
{
    /// <summary>Sends the case and checks the status, the problem body and that nothing was stored.</summary>
    public static async Task AssertRejectedAsync(HttpClient client, BadInputCase badInput, string existingId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(badInput);
        var before = await SnapshotAsync(client);

        using var request = badInput.ToRequest(existingId);
        using var response = await client.SendAsync(request);

        if (badInput.ServerRejects)
        {
            Assert.Equal(badInput.Status, response.StatusCode);
        }
        else
        {
            await ProblemAssertions.AssertProblemAsync(response, badInput.Status, badInput.Type, badInput.Field);
        }

        Assert.Equal(before, await SnapshotAsync(client));
    }

    /// <summary>Every stored todo with its version: any write, even to the existing one, changes it.</summary>
    public static async Task<string> SnapshotAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/todos?limit=100");
        return string.Join(';', page.GetProperty("items").EnumerateArray()
            .Select(t => $"{t.GetProperty("id").GetString()}@{t.GetProperty("version").GetInt64()}:{t.GetProperty("title").GetString()}"));
    }

    public static async Task<string> SeedAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("/api/v1/todos", new { title = "the one that exists" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
