using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>Sessions and policies (Part 3 11 and 23).</summary>
public sealed partial class Tpm2
{
    /// <summary>
    /// TPM2_StartAuthSession (Part 3 11.1), unbound. With <paramref name="saltKey"/> (a loaded
    /// decrypt key, such as the SRK or EK, and its public area) the session is salted (Part 1
    /// 19.6.13): an RSA key gets the salt RSA-OAEP-encrypted with label "SECRET"; an ECC key gets
    /// an ephemeral ECDH point and the salt is KDFe(Z, "SECRET", Qe.x, Qs.x). sessionKey =
    /// KDFa(authHash, salt, "ATH", nonceTPM, nonceCaller, digest bits).
    /// </summary>
    public HmacSession StartAuthSession(bool policy, (uint Handle, TpmtPublic Public)? saltKey = null, TpmtSymDefObject? symmetric = null,
        TpmaSession attributes = TpmaSession.None, TpmAlgId authHash = TpmAlgId.Sha256)
    {
        var digestSize = TpmHash.DigestSize(authHash);
        var nonceCaller = RandomNumberGenerator.GetBytes(digestSize);
        byte[] salt = [];
        byte[] encryptedSalt = [];
        var tpmKey = TpmHandle.Null;
        if (saltKey is { } key)
        {
            (salt, encryptedSalt) = MakeSalt(key.Public, digestSize);
            tpmKey = new TpmHandle(key.Handle);
        }
        var sym = symmetric ?? TpmtSymDefObject.Null;
        var writer = new TpmWriter().WriteTpm2b(nonceCaller).WriteTpm2b(encryptedSalt).WriteUInt8(policy ? (byte)1 : (byte)0);
        sym.Write(writer);
        writer.WriteUInt16((ushort)authHash);
        var reader = Execute(TpmCc.StartAuthSession, [tpmKey, TpmHandle.Null], 0, writer.ToArray(), out var handles, 1);
        var nonceTpm = reader.ReadTpm2b("nonceTPM");
        reader.ExpectEnd();
        var sessionKey = salt.Length == 0 ? [] : Kdf.KdfA(authHash, salt, "ATH", nonceTpm, nonceCaller, digestSize * 8);
        return policy
            ? new PolicySession(this, handles[0], authHash, sessionKey, nonceCaller, nonceTpm, sym, attributes)
            : new HmacSession(this, handles[0], authHash, sessionKey, nonceCaller, nonceTpm, sym, attributes);
    }

    /// <summary>
    /// TPM2_PolicySecret (Part 3 23.4): extends the policy session with "the caller knows
    /// <paramref name="authHandle"/>'s auth value" (for the EK: TPM_RH_ENDORSEMENT), bound to the
    /// session's current nonceTPM, with no expiration.
    /// </summary>
    public void PolicySecret(TpmHandle authHandle, PolicySession policySession, TpmSession? authSession = null)
    {
        ArgumentNullException.ThrowIfNull(authHandle);
        ArgumentNullException.ThrowIfNull(policySession);
        var writer = new TpmWriter().WriteTpm2b(policySession.NonceTpm.Span).WriteTpm2b([]).WriteTpm2b([]).WriteUInt32(0);
        var reader = Execute(TpmCc.PolicySecret, [authHandle, new TpmHandle(policySession.Handle)], 1, writer.ToArray(), out _, 0,
            [authSession ?? PasswordSession.Instance]);
        reader.ReadTpm2b("timeout");
        TpmTicket.Read(reader);
        reader.ExpectEnd();
    }

    /// <summary>TPM2_PolicyGetDigest (Part 3 23.19): the session's policy digest so far.</summary>
    public byte[] PolicyGetDigest(PolicySession policySession)
    {
        ArgumentNullException.ThrowIfNull(policySession);
        var reader = Execute(TpmCc.PolicyGetDigest, [new TpmHandle(policySession.Handle)], 0, [], out _);
        var digest = reader.ReadTpm2b("policyDigest");
        reader.ExpectEnd();
        return digest;
    }

    private static (byte[] Salt, byte[] EncryptedSalt) MakeSalt(TpmtPublic key, int digestSize)
    {
        if (key.Type == TpmAlgId.Rsa)
        {
            var salt = RandomNumberGenerator.GetBytes(digestSize);
            using var rsa = RSA.Create(key.ToRsaParameters());
            // Part 1 Annex B.10.3: OAEP with the key's nameAlg and the label "SECRET\0".
            var encrypted = RsaOaep.Encrypt(rsa, salt, key.NameAlg, "SECRET");
            return (salt, encrypted);
        }
        if (key.Type == TpmAlgId.Ecc)
        {
            var parameters = key.ToEcParameters();
            using var ephemeral = ECDiffieHellman.Create(parameters.Curve);
            using var peer = ECDiffieHellman.Create(parameters);
            var z = ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
            var q = ephemeral.ExportParameters(false).Q;
            var salt = Kdf.KdfE(key.NameAlg, z, "SECRET", q.X, parameters.Q.X, digestSize * 8);
            var point = new TpmWriter();
            new TpmsEccPoint(q.X, q.Y).Write(point);
            return (salt, point.ToArray());
        }
        throw new TpmFormatException($"a {key.Type} key cannot salt a session (RSA and ECC decrypt keys can)");
    }
}
