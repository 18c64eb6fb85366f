using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace ProvisioningEndpoint.OperatorConsole.Accounts;

/// <summary>
/// Operator passwords: Argon2id (RFC 9106), 64 MiB, 3 passes, one lane, a 16-byte random salt and
/// a 32-byte tag, kept as a PHC string so that the parameters travel with the hash and can be
/// raised later. Verification recomputes with the stored parameters and compares in constant
/// time. Each hash holds 64 MiB while it runs, so at most two run at once (sign-in floods queue
/// instead of exhausting memory). Thread-safe.
/// </summary>
internal static class OperatorPasswords
{
    /// <summary>The shortest password accepted (NIST SP 800-63B asks for at least 8; operators manage a factory's trust).</summary>
    public const int MinimumLength = 12;

    /// <summary>Longer passwords are refused: hashing is not free, and nobody types more.</summary>
    public const int MaximumLength = 1024;

    private const int MemoryKiB = 64 * 1024;
    private const int Iterations = 3;
    private const int Lanes = 1;
    private const int SaltLength = 16;
    private const int TagLength = 32;
    private static readonly SemaphoreSlim s_gate = new(2, 2);

    /// <summary>Why a password is refused, or null when it is acceptable.</summary>
    public static string? Problem(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinimumLength)
            return $"is {password.Length} characters; at least {MinimumLength} are required";
        if (password.Length > MaximumLength)
            return $"is {password.Length} characters; at most {MaximumLength} are accepted";
        return string.IsNullOrWhiteSpace(password) ? "is only white space" : null;
    }

    /// <summary>A new hash of <paramref name="password"/> with a fresh salt.</summary>
    public static async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var tag = await DeriveAsync(password, salt, MemoryKiB, Iterations, Lanes, TagLength, cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={MemoryKiB},t={Iterations},p={Lanes}${ToBase64(salt)}${ToBase64(tag)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="encoded"/>; false (not an exception) for a malformed hash.</summary>
    public static async Task<bool> VerifyAsync(string password, string encoded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (!TryParse(encoded, out var memory, out var iterations, out var lanes, out var salt, out var tag))
            return false;
        var computed = await DeriveAsync(password, salt, memory, iterations, lanes, tag.Length, cancellationToken).ConfigureAwait(false);
        return CryptographicOperations.FixedTimeEquals(computed, tag);
    }

    /// <summary>
    /// Spends what a verification costs, for a name that has no account, so that the answer's
    /// timing does not tell which names exist.
    /// </summary>
    public static Task SpendAsync(string password, CancellationToken cancellationToken) =>
        DeriveAsync(password, new byte[SaltLength], MemoryKiB, Iterations, Lanes, TagLength, cancellationToken);

    private static async Task<byte[]> DeriveAsync(string password, byte[] salt, int memoryKiB, int iterations, int lanes, int length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        var bytes = Encoding.UTF8.GetBytes(password);
        await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var argon2 = new Argon2id(bytes) { Salt = salt, MemorySize = memoryKiB, Iterations = iterations, DegreeOfParallelism = lanes };
            return await argon2.GetBytesAsync(length).ConfigureAwait(false);
        }
        finally
        {
            s_gate.Release();
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static bool TryParse(string encoded, out int memory, out int iterations, out int lanes, out byte[] salt, out byte[] tag)
    {
        memory = iterations = lanes = 0;
        salt = tag = [];
        // $argon2id$v=19$m=65536,t=3,p=1$salt$tag
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
            return false;
        foreach (var parameter in parts[3].Split(','))
        {
            var pair = parameter.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
                return false;
            switch (pair[0])
            {
                case "m": memory = value; break;
                case "t": iterations = value; break;
                case "p": lanes = value; break;
                default: return false;
            }
        }
        // Bounds that keep a tampered row from making a verification unaffordable.
        if (memory is < 8 or > 1024 * 1024 || iterations > 64 || lanes > 16)
            return false;
        try
        {
            salt = FromBase64(parts[4]);
            tag = FromBase64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        return salt.Length >= 8 && tag.Length >= 16;
    }

    // PHC strings use base64 without padding.
    private static string ToBase64(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    private static byte[] FromBase64(string value) => Convert.FromBase64String(value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '='));
}
