using DeviceAgent.Provisioning.Wire;

namespace DeviceAgent.Provisioning.Tests.Wire;

public sealed class DpsTopicsTests
{
    [Theory]
    [InlineData("$dps/registrations/res/202/?$rid=7&retry-after=3", 202, "7", 3.0)]
    [InlineData("$dps/registrations/res/200/?$rid=abc", 200, "abc", null)]
    [InlineData("$dps/registrations/res/429/?retry-after=1.5&$rid=x%2Fy", 429, "x/y", 1.5)]
    public void Parses_response_topics(string topic, int status, string rid, double? retryAfter)
    {
        Assert.True(DpsTopics.TryParseResponse(topic, out var s, out var r, out var wait));
        Assert.Equal((status, rid, retryAfter), (s, r, wait?.TotalSeconds));
    }

    [Theory]
    [InlineData("$dps/registrations/res/abc/?$rid=1")]
    [InlineData("$dps/registrations/res/200/?x=1")]
    [InlineData("devices/x/messages/events/")]
    public void Refuses_other_topics(string topic) => Assert.False(DpsTopics.TryParseResponse(topic, out _, out _, out _));

    // A retry-after that is no usable number of seconds is ignored, not thrown through: on the
    // first two, TimeSpan.FromSeconds threw OverflowException out of the response handler (found
    // while writing DpsTopicsProperties).
    [Theory]
    [InlineData("Infinity")]
    [InlineData("1e300")]
    [InlineData("NaN")]
    [InlineData("-1")]
    public void Ignores_a_retry_after_that_is_no_number_of_seconds(string value)
    {
        Assert.True(DpsTopics.TryParseResponse($"$dps/registrations/res/202/?$rid=1&retry-after={value}", out var status, out _, out var retryAfter));
        Assert.Equal(202, status);
        Assert.Null(retryAfter);
    }

    [Fact]
    public void Request_topics_carry_the_rid_and_operation()
    {
        Assert.Equal("$dps/registrations/PUT/iotdps-register/?$rid=5", DpsTopics.Register("5"));
        Assert.Equal("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=6&operationId=4.a.b", DpsTopics.OperationStatus("6", "4.a.b"));
    }

    [Theory]
    [InlineData("0ne1/registrations/dev/api-version=2019-03-31", "0ne1", "dev", "2019-03-31", null)]
    [InlineData("0ne1/registrations/dev/api-version=2021-06-01&ClientVersion=azure-iot%2F1.0", "0ne1", "dev", "2021-06-01", "azure-iot/1.0")]
    public void Parses_user_names_tolerating_client_version(string userName, string scope, string id, string api, string? client)
    {
        var parsed = DpsUserName.TryParse(userName, out var problem);
        Assert.Null(problem);
        Assert.Equal(new DpsUserName(scope, id, api, client), parsed);
    }

    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("0ne1/devices/dev/api-version=1", "is not of the form")]
    [InlineData("0ne1/registrations/dev/x=1", "has no api-version")]
    public void Refuses_other_user_names(string? userName, string reason)
    {
        Assert.Null(DpsUserName.TryParse(userName, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }
}
