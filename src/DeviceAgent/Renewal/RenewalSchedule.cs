using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Renewal;

/// <summary>What the schedule says at one instant.</summary>
public enum RenewalDue
{
    /// <summary>Before the renewal point: keep the current identity.</summary>
    NotYet,
    /// <summary>At or after the renewal point, the leaf still valid: renew now.</summary>
    Now,
    /// <summary>The leaf has expired: renewal over the hub or with it is impossible; re-register with the onboarding credential.</summary>
    Expired,
}

/// <summary>
/// When a leaf is renewed: a point between <see cref="RenewalSettings.WindowStart"/> and
/// <see cref="RenewalSettings.WindowEnd"/> of its lifetime. The point is drawn once per leaf from
/// its own bytes (SHA-256 of the DER), so it spreads a fleet's renewals like a random draw, yet is
/// the same after every restart without being stored. Whether renewal is due is a function of
/// the leaf and the wall clock only: a clock that jumps forward past the point renews once (the
/// renewal replaces the leaf, and with it the schedule), one that jumps back never renews a leaf
/// twice (a renewed leaf has a new, later point). Immutable.
/// </summary>
public sealed class RenewalSchedule
{
    private RenewalSchedule(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset renewAt, string thumbprint)
    {
        NotBefore = notBefore;
        NotAfter = notAfter;
        RenewAt = renewAt;
        Thumbprint = thumbprint;
    }

    /// <summary>The leaf's start of validity.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The leaf's end of validity.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The renewal point.</summary>
    public DateTimeOffset RenewAt { get; }

    /// <summary>The leaf's SHA-1 thumbprint (which leaf this schedule is for).</summary>
    public string Thumbprint { get; }

    /// <summary>The leaf's lifetime.</summary>
    public TimeSpan Lifetime => NotAfter - NotBefore;

    /// <summary>The schedule of a leaf.</summary>
    /// <exception cref="ArgumentException">The settings are invalid (<see cref="RenewalSettings.FindProblem"/>).</exception>
    public static RenewalSchedule For(X509Certificate2 leaf, RenewalSettings settings)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FindProblem() is { } problem)
            throw new ArgumentException(problem, nameof(settings));
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var draw = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(leaf.RawData)) / (double)ulong.MaxValue;
        var fraction = settings.WindowStart + ((settings.WindowEnd - settings.WindowStart) * draw);
        var renewAt = notBefore + ((notAfter - notBefore) * fraction);
        return new RenewalSchedule(notBefore, notAfter, renewAt, leaf.Thumbprint);
    }

    /// <summary>Whether renewal is due at <paramref name="now"/>.</summary>
    public RenewalDue DueAt(DateTimeOffset now) => now >= NotAfter ? RenewalDue.Expired : now >= RenewAt ? RenewalDue.Now : RenewalDue.NotYet;

    /// <summary>
    /// How long to sleep before looking again: until the point, but never longer than
    /// <paramref name="clockCheckInterval"/> (<see cref="RenewalSettings.ClockCheckInterval"/>), so that a jump of the wall clock is noticed within it.
    /// </summary>
    public TimeSpan SleepBefore(DateTimeOffset now, TimeSpan clockCheckInterval)
    {
        var remaining = RenewAt - now;
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : remaining < clockCheckInterval ? remaining : clockCheckInterval;
    }
}
