using System.Globalization;
using System.Text;

namespace DeviceAgent.Tpm.Constants;

/// <summary>
/// A raw TPM_RC decoded per TPM 2.0 Part 2 6.6.2 (Figure "Format-Zero/Format-One Response
/// Codes"): format 1 (bit 7 set) carries an error number in bits 0-5 and names the handle
/// (P=0, N=1..7), the session (P=0, N=8+1..7) or the parameter (P=1, N=1..15) it applies to;
/// format 0 carries V (bit 8, a TPM 2.0 code), T (bit 10, vendor-defined) and S (bit 11, a warning)
/// with the error number in bits 0-6.
/// </summary>
public readonly record struct TpmResponseCode(uint Raw)
{
    private const uint Format1 = 0x080;
    private const uint Ver1 = 0x100;
    private const uint Vendor = 0x400;
    private const uint Severity = 0x800;

    /// <summary>TPM_RC_SUCCESS.</summary>
    public bool IsSuccess => Raw == 0;

    /// <summary>Format one (bit 7).</summary>
    public bool IsFormat1 => (Raw & Format1) != 0;

    /// <summary>A TPM 1.2 response code (format 0 without V): the TPM did not understand the command as TPM 2.0.</summary>
    public bool IsTpm12 => !IsSuccess && !IsFormat1 && (Raw & Ver1) == 0;

    /// <summary>A vendor-defined code (format 0, T bit).</summary>
    public bool IsVendor => !IsFormat1 && (Raw & Vendor) != 0;

    /// <summary>A warning (format 0, S bit): the command did not run, nothing is wrong with it.</summary>
    public bool IsWarning => !IsFormat1 && (Raw & Severity) != 0 && (Raw & Ver1) != 0;

    /// <summary>The code without the handle/parameter/session number.</summary>
    public TpmRc Code => IsFormat1 ? (TpmRc)(Format1 | (Raw & 0x3F)) : (TpmRc)(Raw & 0x97F);

    /// <summary>The 1-based parameter number the code applies to, or 0.</summary>
    public int Parameter => IsFormat1 && (Raw & 0x40) != 0 ? (int)((Raw >> 8) & 0xF) : 0;

    /// <summary>The 1-based handle number the code applies to, or 0.</summary>
    public int Handle => IsFormat1 && (Raw & 0x40) == 0 && (Raw & 0x800) == 0 ? (int)((Raw >> 8) & 0x7) : 0;

    /// <summary>The 1-based session number the code applies to, or 0.</summary>
    public int Session => IsFormat1 && (Raw & 0x40) == 0 && (Raw & 0x800) != 0 ? (int)((Raw >> 8) & 0x7) : 0;

    /// <summary>The spec's name of <see cref="Code"/> (<c>TPM_RC_AUTH_FAIL</c>), or a hex value for an unknown one.</summary>
    public string Name
    {
        get
        {
            if (IsTpm12)
                return string.Create(CultureInfo.InvariantCulture, $"TPM 1.2 code 0x{Raw:X}");
            if (IsVendor)
                return string.Create(CultureInfo.InvariantCulture, $"vendor code 0x{Raw:X}");
            var code = Code;
            if (!Enum.IsDefined(code))
                return string.Create(CultureInfo.InvariantCulture, $"TPM_RC 0x{(uint)code:X3}");
            return code switch
            {
                TpmRc.PhysicalPresence => "TPM_RC_PP",
                TpmRc.CpHash => "TPM_RC_CPHASH",
                TpmRc.AuthSize => "TPM_RC_AUTHSIZE",
                _ => "TPM_RC_" + Snake(code.ToString()),
            };
        }
    }

    /// <summary>What the code names: "handle 1", "parameter 2", "session 1", or empty.</summary>
    public string Subject =>
        Handle != 0 ? $"handle {Handle}" : Session != 0 ? $"session {Session}" : Parameter != 0 ? $"parameter {Parameter}" : "";

    /// <inheritdoc />
    public override string ToString()
    {
        var subject = Subject;
        return string.Create(CultureInfo.InvariantCulture, $"{Name} (0x{Raw:X3}){(subject.Length > 0 ? " on " + subject : "")}");
    }

    private static string Snake(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
                builder.Append('_');
            builder.Append(char.ToUpperInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
