using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// DPS queries: <c>POST .../query</c> with <c>{"query": "*"}</c> (or <c>SELECT * FROM ...</c>); pages of
/// at most <c>x-ms-max-item-count</c> items (default 100, at most 1000); a response that has more
/// carries <c>x-ms-continuation</c>, which the next request sends back; <c>x-ms-item-type</c> names
/// the items. Filters are not served.
/// </summary>
internal static partial class QueryPages
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary>Reads and checks the query specification.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static async Task ReadSpecificationAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var specification = await RequestBody.ReadAsync(request, RestJson.Context.QuerySpecificationWire,
            "a query specification {\"query\": \"*\"}", cancellationToken);
        if (string.IsNullOrWhiteSpace(specification.Query))
            throw RestException.BadField("query", "is required: \"*\" (every entry)");
        if (specification.Query.Trim() != "*" && !SelectAll().IsMatch(specification.Query))
            throw RestException.BadField("query", $"is '{Enrollments.EnrollmentFields.Shorten(specification.Query)}'; this endpoint answers only \"*\" (or SELECT * FROM ...) and no filters");
    }

    /// <summary>The page the request asks for, with the paging headers set on the response.</summary>
    /// <exception cref="RestException">400 naming a bad paging header.</exception>
    public static IResult Page<T>(HttpContext context, IReadOnlyList<T> items, JsonTypeInfo<List<T>> type, string itemType)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        var size = DefaultPageSize;
        var sizeHeader = context.Request.Headers["x-ms-max-item-count"].ToString();
        if (sizeHeader.Length > 0 && (!int.TryParse(sizeHeader, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            throw RestException.BadField("x-ms-max-item-count", $"(header) is '{Enrollments.EnrollmentFields.Shorten(sizeHeader)}'; expected 1..{MaxPageSize}");
        var offset = ReadContinuation(context.Request.Headers["x-ms-continuation"].ToString());
        var page = items.Skip(offset).Take(size).ToList();
        if (offset + page.Count < items.Count)
            context.Response.Headers["x-ms-continuation"] = Continuation(offset + page.Count);
        context.Response.Headers["x-ms-item-type"] = itemType;
        return Results.Json(page, type);
    }

    private static int ReadContinuation(string token)
    {
        if (token.Length == 0)
            return 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
            // falls through to the refusal
        }
        throw RestException.BadField("x-ms-continuation", "(header) is not a continuation token this endpoint gave; start the query again without it");
    }

    private static string Continuation(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"offset:{offset}")));

    [GeneratedRegex(@"^\s*select\s+\*\s+from\s+[A-Za-z]+\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelectAll();
}
