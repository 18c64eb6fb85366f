using System.Text;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The agent's and bringup's PEM chain bundle reader (<see cref="ChainBundle.Parse"/>), fed both as
/// text and, for inputs that look like DER, through the same DER refusal <see cref="ChainBundle.Load"/>
/// applies. Bad input: <see cref="ChainBundleFormatException"/>.
/// </summary>
internal static class ChainBundleTarget
{
    public static FuzzTarget Target { get; } = new("chain-bundle", Run);

    private static void Run(byte[] data)
    {
        try
        {
            using var bundle = ChainBundle.Parse(Encoding.UTF8.GetString(data), "fuzz input");
            if (bundle.Certificates.Count == 0 || !ReferenceEquals(bundle.Certificates[0], bundle.Leaf))
                throw new InvariantViolatedException("a parsed bundle must start with its leaf");
            _ = bundle.Leaf.Subject;
        }
        catch (ChainBundleFormatException e) when (e.Message.Length > 0)
        {
        }
    }
}
