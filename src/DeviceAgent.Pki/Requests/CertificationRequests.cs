namespace DeviceAgent.Pki.Requests;

/// <summary>One request of a batch as checked: the request, or why it is refused.</summary>
/// <param name="Source">The request's path or name.</param>
/// <param name="Request">The checked request; null when refused.</param>
/// <param name="Error">Why it is refused; null when accepted.</param>
public sealed record CheckedRequest(string Source, CertificationRequest? Request, CertificationRequestException? Error);

/// <summary>
/// Checks a batch of requests (a line station's queue) before anything is issued from them, on
/// every core: each check is a signature verification, and on OpenSSL 3 making the request's key
/// object costs more than verifying with it. A bad request is reported in its place, so that a
/// batch can be refused as a whole. Thread-safe.
/// </summary>
public static class CertificationRequests
{
    /// <summary>Reads and checks request files, in their order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is null.</exception>
    public static IReadOnlyList<CheckedRequest> LoadAll(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Check(paths.Count, i => paths[i], i => CertificationRequest.Load(paths[i]));
    }

    /// <summary>Checks requests given as PEM or DER bytes, in their order.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyList<CheckedRequest> ParseAll(IReadOnlyList<ReadOnlyMemory<byte>> requests, Func<int, string> name)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(name);
        return Check(requests.Count, name, i => CertificationRequest.Parse(requests[i].Span, name(i)));
    }

    private static CheckedRequest[] Check(int count, Func<int, string> source, Func<int, CertificationRequest> check)
    {
        var results = new CheckedRequest[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                results[i] = new CheckedRequest(source(i), check(i), null);
            }
            catch (CertificationRequestException e)
            {
                results[i] = new CheckedRequest(source(i), null, e);
            }
        });
        return results;
    }
}
