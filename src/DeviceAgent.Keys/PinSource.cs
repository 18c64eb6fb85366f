using System.Text;

namespace DeviceAgent.Keys;

/// <summary>
/// Where a PIN comes from: a file (a systemd credential is one) or an environment variable.
/// Never a command-line argument: arguments are visible to every user in /proc.
/// </summary>
public abstract class PinSource
{
    /// <summary>The PIN in a file; surrounding whitespace and the trailing newline are ignored.</summary>
    public static PinSource FromFile(string path) => new FilePinSource(path);

    /// <summary>The PIN in an environment variable.</summary>
    public static PinSource FromEnvironment(string variable) => new EnvironmentPinSource(variable);

    /// <summary>Where the PIN is read from, for messages (never the PIN).</summary>
    public abstract string Description { get; }

    /// <summary>The file the PIN is read from; null when it does not come from a file.</summary>
    public virtual string? FilePath => null;

    /// <summary>Reads the PIN.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.PinUnavailable"/>: missing,
    /// unreadable or empty.</exception>
    public abstract Pin Read();

    /// <inheritdoc />
    public override string ToString() => Description;

    private static Pin FromText(ReadOnlySpan<byte> raw, string where)
    {
        var trimmed = Trim(raw);
        if (trimmed.IsEmpty)
            throw new KeyCustodyException(KeyCustodyError.PinUnavailable, $"{where} is empty; write the token's user PIN into it");
        return Pin.FromUtf8(trimmed.ToArray());
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        while (!s.IsEmpty && s[^1] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t')
            s = s[..^1];
        while (!s.IsEmpty && s[0] is (byte)' ' or (byte)'\t')
            s = s[1..];
        return s;
    }

    private sealed class FilePinSource(string path) : PinSource
    {
        public override string Description => $"PIN file '{path}'";

        public override string? FilePath => path;

        public override Pin Read()
        {
            byte[] raw;
            try
            {
                raw = File.ReadAllBytes(path);
            }
            catch (FileNotFoundException e)
            {
                throw new KeyCustodyException(KeyCustodyError.PinUnavailable,
                    $"{Description} does not exist; create it (mode 0600, owned by the agent's user) with the token's user PIN", e);
            }
            catch (DirectoryNotFoundException e)
            {
                throw new KeyCustodyException(KeyCustodyError.PinUnavailable, $"{Description} does not exist (its directory is missing)", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new KeyCustodyException(KeyCustodyError.PinUnavailable,
                    $"{Description} is not readable by this user; make it readable by the agent's user only (mode 0600)", e);
            }
            try
            {
                return FromText(raw, Description);
            }
            finally
            {
                Array.Clear(raw);
            }
        }
    }

    private sealed class EnvironmentPinSource(string variable) : PinSource
    {
        public override string Description => $"environment variable {variable}";

        public override Pin Read()
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (value is null)
                throw new KeyCustodyException(KeyCustodyError.PinUnavailable, $"{Description} is not set");
            return FromText(Encoding.UTF8.GetBytes(value), Description);
        }
    }
}
