using DeviceAgent.Pki.Requests;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Requests;

public sealed class CertificationRequestsTests
{
    [Fact]
    public void A_batch_is_checked_in_its_order_with_each_refusal_in_its_place()
    {
        var good = Enumerable.Range(0, 20).Select(i => (ReadOnlyMemory<byte>)TestStore.Request($"queued-{i}").Der).ToList();
        var altered = good[7].ToArray();
        altered[altered.AsSpan().IndexOf("queued-7"u8) + 7] = (byte)'8';
        good[7] = altered;

        var results = CertificationRequests.ParseAll(good, i => $"request {i}");

        Assert.Equal(20, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            Assert.Equal($"request {i}", results[i].Source);
            if (i == 7)
            {
                Assert.Null(results[i].Request);
                Assert.Equal(CertificationRequestProblem.BadSignature, results[i].Error!.Problem);
            }
            else
            {
                Assert.Equal($"queued-{i}", results[i].Request!.CommonName);
            }
        }
    }
}
