using System.Security.Cryptography;

namespace DeviceAgent.Keys.Tests.OpenSsl;

/// <summary>What a <see cref="ScriptedBackendKey"/> does when asked to sign.</summary>
public enum BackendBehaviour
{
    /// <summary>Signs with the software key.</summary>
    Sign,
    /// <summary>Throws, as a token that answered with an error.</summary>
    Throw,
    /// <summary>Blocks until released, as a token that stopped answering.</summary>
    Hang,
}

/// <summary>
/// A unit seam for the bridge: an <see cref="ECDsa"/> backend (a software key underneath) that
/// counts its signatures, can throw or hang on demand, and records its disposal.
/// </summary>
public sealed class ScriptedBackendKey(BackendBehaviour behaviour = BackendBehaviour.Sign) : ECDsa
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private int _signatures;

    public ManualResetEventSlim Release { get; } = new();

    public int Signatures => Volatile.Read(ref _signatures);

    public bool Disposed { get; private set; }

    public DevicePublicKey PublicKey => DevicePublicKey.FromAlgorithm(_key);

    public override int KeySize { get => 256; set { } }

    public override byte[] SignHash(byte[] hash)
    {
        Interlocked.Increment(ref _signatures);
        switch (behaviour)
        {
            case BackendBehaviour.Throw:
                throw new CryptographicException("CKR_DEVICE_REMOVED from the scripted token");
            case BackendBehaviour.Hang:
                Release.Wait(TimeSpan.FromMinutes(1));
                throw new CryptographicException("released");
            default:
                return _key.SignHash(hash);
        }
    }

    public override bool VerifyHash(byte[] hash, byte[] signature) => _key.VerifyHash(hash, signature);

    public override ECParameters ExportParameters(bool includePrivateParameters) => _key.ExportParameters(false);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Disposed = true;
            Release.Set();
            _key.Dispose();
        }
        base.Dispose(disposing);
    }
}
