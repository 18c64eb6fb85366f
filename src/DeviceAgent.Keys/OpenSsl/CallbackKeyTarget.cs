using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// The managed side of one bridged OpenSSL key: the backend key that performs the private
/// operation, the bound on how long it may take, and the counters. OpenSSL holds it through a
/// <see cref="GCHandle"/> stored in the EC_KEY's or RSA's ex_data; the handle is released (and
/// the backend key disposed) by the key method's finish callback when OpenSSL frees the last copy
/// of the key, so the managed object lives exactly as long as OpenSSL can call it.
/// </summary>
/// <remarks>
/// Thread-safe: OpenSSL may call <see cref="SignHash"/> from any number of handshakes at once;
/// each call goes to the backend key, which must itself be thread-safe (Pkcs11ECDsa/Pkcs11Rsa
/// serialise on their session; .NET's software keys are). Counters are updated atomically.
/// </remarks>
internal sealed class CallbackKeyTarget
{
    private readonly AsymmetricAlgorithm _backend;
    private readonly TimeSpan _timeout;
    private long _succeeded;
    private long _failed;
    private KeyCustodyException? _lastFailure;
    private int _references = 1;

    public CallbackKeyTarget(AsymmetricAlgorithm backend, string description, TimeSpan timeout)
    {
        _backend = backend;
        Description = description;
        _timeout = timeout;
    }

    /// <summary>The key's name, for messages.</summary>
    public string Description { get; }

    public PrivateKeyOperations Operations => new(Interlocked.Read(ref _succeeded), Interlocked.Read(ref _failed), Volatile.Read(ref _lastFailure));

    /// <summary>Allocates the handle OpenSSL keeps (one reference).</summary>
    public IntPtr ToHandle() => GCHandle.ToIntPtr(GCHandle.Alloc(this));

    /// <summary>The target behind a handle from <see cref="ToHandle"/>, or null.</summary>
    public static CallbackKeyTarget? FromHandle(IntPtr handle) =>
        handle == IntPtr.Zero ? null : GCHandle.FromIntPtr(handle).Target as CallbackKeyTarget;

    /// <summary>Another OpenSSL key object now shares this target (EC_KEY_copy).</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>
    /// One OpenSSL key object that shared the target was freed; the last one frees the handle and
    /// disposes the backend key.
    /// </summary>
    public static void Release(IntPtr handle)
    {
        if (FromHandle(handle) is not { } target || Interlocked.Decrement(ref target._references) > 0)
            return;
        GCHandle.FromIntPtr(handle).Free();
        target._backend.Dispose();
    }

    /// <summary>
    /// The private-key operation: the backend signs <paramref name="digest"/>; waits at most the
    /// timeout. Never throws: a failure is recorded and null returned, so OpenSSL sees a failed
    /// sign and the caller of the handshake can read <see cref="Operations"/> for the reason.
    /// </summary>
    public byte[]? SignHash(byte[] digest, HashAlgorithmName hash, RSASignaturePadding? padding) =>
        Run(() => Sign(digest, hash, padding));

    /// <summary>
    /// The raw RSA private operation on an already-padded block (RSA-PSS, see
    /// <see cref="RsaKeyMethod"/>), when the backend offers <see cref="IRsaPrivatePrimitive"/>;
    /// otherwise a recorded failure. Never throws.
    /// </summary>
    public byte[]? PrivateOperation(byte[] block) => Run(() => _backend is IRsaPrivatePrimitive primitive
        ? primitive.PrivateOperation(block)
        : throw new KeyCustodyException(KeyCustodyError.UnsupportedKey,
            $"{Description} cannot sign RSA-PSS through OpenSSL: its backend signs digests only and offers no raw RSA operation " +
            "for the block OpenSSL padded (TLS 1.3 needs RSA-PSS; use an EC key, or TLS 1.2 with rsa_pkcs1 signatures)"));

    private byte[]? Run(Func<byte[]> operation)
    {
        try
        {
            var signature = _timeout == Timeout.InfiniteTimeSpan ? operation() : RunWithin(operation);
            Interlocked.Increment(ref _succeeded);
            return signature;
        }
        catch (Exception e)
        {
            Fail(e as KeyCustodyException ?? new KeyCustodyException(KeyCustodyError.TokenOperationFailed,
                $"the private key {Description} failed to sign the TLS handshake: {e.Message}", e));
            return null;
        }
    }

    /// <summary>Records a refusal decided before the backend was asked (an unsupported padding).</summary>
    public void Fail(KeyCustodyException failure)
    {
        Volatile.Write(ref _lastFailure, failure);
        Interlocked.Increment(ref _failed);
    }

    private byte[] RunWithin(Func<byte[]> operation)
    {
        // The backend may block in native code (a token that stopped answering); it runs on a pool
        // thread so that this OpenSSL callback, and with it the handshake, returns within the bound.
        var task = Task.Run(operation);
        bool finished;
        try
        {
            finished = task.Wait(_timeout);
        }
        catch (AggregateException)
        {
            finished = true; // faulted: GetResult below rethrows the backend's own exception
        }
        if (!finished)
        {
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe a late failure
            throw new KeyCustodyException(KeyCustodyError.TokenOperationFailed,
                $"the private key {Description} did not answer within {_timeout.TotalSeconds:0.#} s while signing the TLS handshake; " +
                "the token or TPM may be unplugged, stopped or locked (check its daemon and device)");
        }
        return task.GetAwaiter().GetResult();
    }

    private byte[] Sign(byte[] digest, HashAlgorithmName hash, RSASignaturePadding? padding) => _backend switch
    {
        ECDsa ec => ec.SignHash(digest),
        RSA rsa => rsa.SignHash(digest, hash, padding ?? RSASignaturePadding.Pkcs1),
        _ => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"{_backend.GetType().Name} keys cannot sign"),
    };
}
