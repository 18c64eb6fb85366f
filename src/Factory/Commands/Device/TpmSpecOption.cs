using DeviceAgent.Tpm.Transport;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary>The <c>--tpm SPEC</c> value: a TPM spec string, or the default /dev/tpmrm0.</summary>
internal static class TpmSpecOption
{
    /// <summary>Parses the spec.</summary>
    /// <exception cref="UsageException">Not a device: or swtpm: spec.</exception>
    public static TpmSpec Parse(string? value)
    {
        try
        {
            return TpmSpec.Parse(value);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--tpm: {ex.Message}");
        }
    }
}
