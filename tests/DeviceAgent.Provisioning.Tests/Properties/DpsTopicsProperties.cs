using System.Globalization;
using DeviceAgent.Provisioning.Wire;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeviceAgent.Provisioning.Tests.Properties;

/// <summary>A response as DPS sends it: status, the echoed <c>$rid</c>, an optional retry-after in seconds.</summary>
public sealed record DpsResponseTopic(int Status, string RequestId, int? RetryAfterSeconds);

/// <summary>A DPS MQTT user name's parts.</summary>
public sealed record DpsUserNameParts(string IdScope, string RegistrationId, string ApiVersion, string? ClientVersion);

/// <summary>Generators: text with the characters that matter in topics and queries (reserved, percent, non-ASCII, astral).</summary>
public static class DpsTopicArbitraries
{
    private static readonly string[] s_pieces =
        ["a", "Z", "0", "9", "-", ".", "_", "~", "&", "=", "%", "%2", "%zz", "?", "/", "#", "+", "$", " ", ";", "\u00e9", "\u65e5", "\U0001F600", "$rid", "retry-after", "1", "e", "E9", "e300", ".5", "-", "Infinity", "NaN"];

    /// <summary>Any text made of those pieces (so never a lone surrogate: MQTT topics are UTF-8 [MQTT-1.5.3-1]).</summary>
    public static Gen<string> Text(int min) =>
        from count in Gen.Choose(min, 12)
        from pieces in Gen.ArrayOf(Gen.Elements(s_pieces), count)
        select string.Concat(pieces);

    // DPS registration ids: alphanumerics and - . _ : (lower case), at most 128.
    private static Gen<string> RegistrationId() =>
        from length in Gen.Choose(1, 40)
        from chars in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-._:".ToCharArray()), length)
        select new string(chars);

    public static Arbitrary<DpsResponseTopic> ResponseTopics() =>
        (from status in Gen.Choose(100, 599)
         from rid in Text(1)
         from retryAfter in Gen.OneOf(Gen.Constant((int?)null), Gen.Choose(0, 86_400).Select(s => (int?)s))
         select new DpsResponseTopic(status, rid, retryAfter)).ToArbitrary();

    public static Arbitrary<DpsUserNameParts> UserNames() =>
        (from scope in Gen.Choose(0, int.MaxValue).Select(n => "0ne" + n.ToString("X8", CultureInfo.InvariantCulture))
         from id in RegistrationId()
         from year in Gen.Choose(2018, 2030)
         from client in Gen.OrNull(Text(0))
         select new DpsUserNameParts(scope, id, $"{year}-03-31", client)).ToArbitrary();

    public static Arbitrary<Dictionary<string, string>> Queries() =>
        (from count in Gen.Choose(0, 6)
         from names in Gen.ArrayOf(Text(1), count)
         from values in Gen.ArrayOf(Text(0), count)
         select names.Zip(values).GroupBy(p => p.First, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Second, StringComparer.Ordinal)).ToArbitrary();

    public static Arbitrary<string> Strings() => Text(0).ToArbitrary();
}

/// <summary>
/// The DPS topics and query strings both sides build and parse (<see cref="DpsTopics"/>,
/// <see cref="QueryString"/>, <see cref="DpsUserName"/>): round trips, and the endpoint's way of
/// reading a request topic (prefix, then the query) gives back what the device put in.
/// </summary>
[Properties(Arbitrary = [typeof(DpsTopicArbitraries)], MaxTest = 300)]
public sealed class DpsTopicsProperties
{
    [Property]
    public bool A_response_topic_parses_back_to_its_status_rid_and_retry_after(DpsResponseTopic response)
    {
        var topic = DpsTopics.Response(response.Status, response.RequestId, response.RetryAfterSeconds);

        return DpsTopics.TryParseResponse(topic, out var status, out var rid, out var retryAfter)
            && status == response.Status && rid == response.RequestId
            && retryAfter == (response.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }

    [Property]
    public bool Request_topics_give_the_endpoint_back_the_rid_and_operation_id_and_are_valid_topic_names(string rid, string operationId)
    {
        var register = DpsTopics.Register(rid);
        var poll = DpsTopics.OperationStatus(rid, operationId);
        // As the endpoint reads them (DpsDeviceEndpoint): the prefix, then the query.
        var registerQuery = QueryString.Parse(register[DpsTopics.RegisterPrefix.Length..]);
        var pollQuery = QueryString.Parse(poll[DpsTopics.OperationStatusPrefix.Length..]);

        return register.StartsWith(DpsTopics.RegisterPrefix, StringComparison.Ordinal) && registerQuery["$rid"] == rid && registerQuery.Count == 1
            && poll.StartsWith(DpsTopics.OperationStatusPrefix, StringComparison.Ordinal) && pollQuery["$rid"] == rid && pollQuery["operationId"] == operationId
            // [MQTT-3.3.2-2] no wildcards in a PUBLISH topic name; [MQTT-1.5.3-2] no NUL.
            && !(register + poll).Any(c => c is '#' or '+' or '\0');
    }

    [Property]
    public bool Parsing_a_response_topic_never_throws_and_accepts_only_the_response_prefix(string tail)
    {
        var topic = "$dps/registrations/res/" + tail;
        var parsed = DpsTopics.TryParseResponse(topic, out var status, out _, out var retryAfter);
        var other = DpsTopics.TryParseResponse("$dps/registrations/PUT/" + tail, out _, out _, out _);

        return !other && (!parsed || (status >= 0 && (retryAfter is null || retryAfter >= TimeSpan.Zero)));
    }

    [Property]
    public bool A_retry_after_that_is_not_a_non_negative_number_is_ignored(string value)
    {
        // The topic carries the value escaped once and the parser unescapes once: the number, if any,
        // is the value itself (unescaping it again here read "%2E9" as ".9": a property bug FsCheck found).
        var isNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds;
        var topic = $"$dps/registrations/res/202/?$rid=1&retry-after={Uri.EscapeDataString(value)}";

        return DpsTopics.TryParseResponse(topic, out _, out _, out var retryAfter)
            && (isNumber ? retryAfter == TimeSpan.FromSeconds(seconds) : retryAfter is null);
    }

    [Theory]
    [InlineData("%2E9", 0.9)]     // ".9" escaped once: the parser unescapes once
    [InlineData("%252E9", null)]  // escaped twice: "%2E9" after one unescape, not a number
    [InlineData("3", 3.0)]
    public void A_retry_after_is_unescaped_once(string onTheWire, double? seconds)
    {
        Assert.True(DpsTopics.TryParseResponse($"$dps/registrations/res/202/?$rid=1&retry-after={onTheWire}", out _, out _, out var retryAfter));
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, retryAfter);
    }

    [Property]
    public bool A_retry_after_of_any_double_is_its_wait_or_ignored(double seconds)
    {
        var topic = $"$dps/registrations/res/429/?$rid=1&retry-after={seconds.ToString("R", CultureInfo.InvariantCulture)}";
        var usable = double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds;

        return DpsTopics.TryParseResponse(topic, out _, out _, out var retryAfter)
            && (usable ? retryAfter == TimeSpan.FromSeconds(seconds) : retryAfter is null);
    }

    [Property]
    public bool A_query_of_escaped_names_and_values_parses_back(Dictionary<string, string> query)
    {
        var text = string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

        var parsed = QueryString.Parse(text);

        return parsed.Count == query.Count && query.All(p => parsed.TryGetValue(p.Key, out var v) && v == p.Value);
    }

    [Property]
    public bool In_a_query_the_later_duplicate_wins(string name, string first, string second)
    {
        var key = Uri.EscapeDataString(name.Length == 0 ? "n" : name);
        var parsed = QueryString.Parse($"{key}={Uri.EscapeDataString(first)}&{key}={Uri.EscapeDataString(second)}");

        return parsed.Count == 1 && parsed.Single().Value == second;
    }

    [Property]
    public bool A_DPS_user_name_parses_back_to_its_parts(DpsUserNameParts parts)
    {
        var text = new DpsUserName(parts.IdScope, parts.RegistrationId, parts.ApiVersion, parts.ClientVersion).Format();

        var parsed = DpsUserName.TryParse(text, out var problem);

        return problem is null && parsed == new DpsUserName(parts.IdScope, parts.RegistrationId, parts.ApiVersion, parts.ClientVersion);
    }
}
