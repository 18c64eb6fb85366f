using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Renewal;

namespace DeviceAgent.Tests.Renewal;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset s_start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_point_lies_between_70_and_90_percent_and_differs_between_leaves()
    {
        var points = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            using var leaf = Leaf(s_start, TimeSpan.FromDays(365));
            var schedule = RenewalSchedule.For(leaf, new RenewalSettings());
            points.Add((schedule.RenewAt - schedule.NotBefore) / schedule.Lifetime);
        }

        Assert.All(points, p => Assert.InRange(p, 0.70, 0.90));
        Assert.True(points.Distinct().Count() > 30, "the point is drawn per leaf");
        Assert.True(points.Max() - points.Min() > 0.1, $"the draws spread over the window: {points.Min():0.000}..{points.Max():0.000}");
    }

    [Fact]
    public void The_same_leaf_has_the_same_point_after_a_restart()
    {
        using var leaf = Leaf(s_start, TimeSpan.FromMinutes(10));
        using var reloaded = X509CertificateLoader.LoadCertificate(leaf.RawData);

        Assert.Equal(RenewalSchedule.For(leaf, new RenewalSettings()).RenewAt, RenewalSchedule.For(reloaded, new RenewalSettings()).RenewAt);
    }

    [Fact]
    public void A_configured_window_is_honoured()
    {
        using var leaf = Leaf(s_start, TimeSpan.FromHours(10));

        var schedule = RenewalSchedule.For(leaf, new RenewalSettings { WindowStart = 0.5, WindowEnd = 0.5 });

        Assert.Equal(schedule.NotBefore + TimeSpan.FromHours(5), schedule.RenewAt);
    }

    [Fact]
    public void A_clock_that_jumps_forward_past_the_point_renews_once_and_one_that_jumps_back_does_not_renew_again()
    {
        using var leaf = Leaf(s_start, TimeSpan.FromDays(10));
        var schedule = RenewalSchedule.For(leaf, new RenewalSettings());

        Assert.Equal(RenewalDue.NotYet, schedule.DueAt(s_start.AddDays(1)));
        Assert.Equal(RenewalDue.Now, schedule.DueAt(schedule.RenewAt.AddHours(1))); // jumped forward: not skipped
        // The renewal replaced the leaf; its schedule starts at the new leaf's notBefore.
        using var renewed = Leaf(schedule.RenewAt.AddHours(1), TimeSpan.FromDays(10));
        var next = RenewalSchedule.For(renewed, new RenewalSettings());
        Assert.Equal(RenewalDue.NotYet, next.DueAt(schedule.RenewAt.AddHours(1)));
        Assert.Equal(RenewalDue.NotYet, next.DueAt(s_start.AddDays(2))); // jumped back: not repeated
        Assert.Equal(RenewalDue.Expired, schedule.DueAt(schedule.NotAfter));
    }

    [Fact]
    public void The_agent_looks_at_the_wall_clock_at_least_once_a_minute()
    {
        using var leaf = Leaf(s_start, TimeSpan.FromDays(365));
        var schedule = RenewalSchedule.For(leaf, new RenewalSettings());

        Assert.Equal(TimeSpan.FromMinutes(1), schedule.SleepBefore(s_start, TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(20), schedule.SleepBefore(schedule.RenewAt - TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.Zero, schedule.SleepBefore(schedule.RenewAt + TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(0.9, 0.7, "renewal.windowStart (0.9) and renewal.windowEnd (0.7)")]
    [InlineData(0.0, 0.9, "must be fractions of the lifetime")]
    [InlineData(0.7, 1.0, "must be fractions of the lifetime")]
    public void A_window_that_is_not_one_is_refused(double start, double end, string expected)
    {
        using var leaf = Leaf(s_start, TimeSpan.FromDays(1));

        var e = Assert.Throws<ArgumentException>(() => RenewalSchedule.For(leaf, new RenewalSettings { WindowStart = start, WindowEnd = end }));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    internal static X509Certificate2 Leaf(DateTimeOffset notBefore, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device-1", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(notBefore, notBefore + lifetime);
    }
}
