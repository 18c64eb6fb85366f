using ProvisioningEndpoint.Hub;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The hub topic <c>$iothub/credentials/POST/issueCertificate/?$rid=</c> served by
/// <see cref="IssueCertificateHandler"/>: its responses (202, then 200 with the chain, or an
/// error) go back to the asking device in order. Only X.509 devices can ask: the request is judged
/// against the leaf the device presented on this connection.
/// </summary>
public sealed class IssueCertificateTopicHandler(IssueCertificateHandler certificates) : IHubTopicHandler
{
    /// <inheritdoc />
    public bool Serves(string deviceId, string topic) => IssueCertificateHandler.Matches(topic);

    /// <inheritdoc />
    public bool AnswersLater => true;

    /// <inheritdoc />
    public async ValueTask<HubReply?> HandleAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Connection.Chain is not { } chain)
        {
            return new HubReply(Respond(request.Topic, 401),
                """{"errorCode":401002,"message":"certificate issuance needs the X.509 identity this device connected with; this connection presented no certificate"}"""u8.ToArray());
        }
        var responses = await certificates.HandleAsync(request.Hub, request.DeviceId, chain, request.Topic, request.Payload, cancellationToken).ConfigureAwait(false);
        HubReply? reply = null;
        for (var i = responses.Count - 1; i >= 0; i--)
            reply = new HubReply(responses[i].Topic, responses[i].Body) { Then = reply };
        return reply;
    }

    private static string Respond(string topic, int status)
    {
        var query = topic.IndexOf('?', StringComparison.Ordinal);
        return $"$iothub/credentials/res/{status}/" + (query >= 0 ? topic[query..] : "");
    }
}
