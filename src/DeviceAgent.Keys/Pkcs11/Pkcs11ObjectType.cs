namespace DeviceAgent.Keys.Pkcs11;

/// <summary>The <c>type</c> attribute of a PKCS#11 URI (RFC 7512 section 2.3).</summary>
public enum Pkcs11ObjectType
{
    /// <summary>type=public (CKO_PUBLIC_KEY).</summary>
    Public,
    /// <summary>type=private (CKO_PRIVATE_KEY).</summary>
    Private,
    /// <summary>type=cert (CKO_CERTIFICATE).</summary>
    Certificate,
    /// <summary>type=secret-key (CKO_SECRET_KEY).</summary>
    SecretKey,
    /// <summary>type=data (CKO_DATA).</summary>
    Data,
}
