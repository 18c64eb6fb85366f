namespace DeviceAgent.Keys.Pkcs11;

/// <summary>The two objects of a key pair on a token.</summary>
/// <param name="PublicKey">The CKO_PUBLIC_KEY object.</param>
/// <param name="PrivateKey">The CKO_PRIVATE_KEY object.</param>
/// <param name="Label">CKA_LABEL shared by both.</param>
/// <param name="Id">CKA_ID shared by both.</param>
public sealed record Pkcs11KeyPair(Pkcs11ObjectHandle PublicKey, Pkcs11ObjectHandle PrivateKey, string Label, ReadOnlyMemory<byte> Id);
