using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// Reads a JSON request body into a wire type. Anything that is not what the API expects is a
/// 400 that says where: not JSON (line and byte), not an object, or a field of the wrong JSON
/// type (named by its path). Bodies are bounded.
/// </summary>
internal static class RequestBody
{
    /// <summary>The largest body accepted.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Reads and deserialises the body.</summary>
    /// <param name="request">The request.</param>
    /// <param name="type">The wire type.</param>
    /// <param name="expected">What the body should be, for messages ("an individual enrollment").</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    /// <exception cref="RestException">400: empty, too large, not JSON, not an object, or a field of the wrong type.</exception>
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, string expected, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        var bytes = await ReadBoundedAsync(request.Body, cancellationToken);
        if (bytes.Length == 0)
            throw RestException.BadRequest($"the request body is empty; expected {expected} (JSON)");
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw RestException.BadRequest($"the request body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; expected {expected} (a JSON object)");
        }
        catch (JsonException e)
        {
            throw RestException.BadRequest(
                $"the request body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}); expected {expected}");
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, type)
                ?? throw RestException.BadRequest($"the request body is null; expected {expected}");
        }
        catch (JsonException e)
        {
            throw RestException.BadField(FieldOf(e.Path), "does not have the JSON type this API expects there");
        }
    }

    /// <summary>The field a JSON path names: <c>$.attestation.x509</c> -> <c>attestation.x509</c>.</summary>
    public static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "(body)";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw RestException.BadRequest($"the request body is larger than {MaxBytes / 1024} KiB");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
