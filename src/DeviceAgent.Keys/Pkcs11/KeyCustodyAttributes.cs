namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// The attributes of a private key object that say where the key came from and whether it can
/// leave the token (PKCS#11 v2.40 section 4.9, "Private key objects").
/// </summary>
/// <param name="Token">CKA_TOKEN: stored on the token, not a session object.</param>
/// <param name="Sensitive">CKA_SENSITIVE: the private value cannot be read.</param>
/// <param name="Extractable">CKA_EXTRACTABLE: the key may be wrapped out.</param>
/// <param name="AlwaysSensitive">CKA_ALWAYS_SENSITIVE: sensitive since it was created.</param>
/// <param name="NeverExtractable">CKA_NEVER_EXTRACTABLE: never was extractable.</param>
/// <param name="Local">CKA_LOCAL: generated on the token (not imported).</param>
public sealed record KeyCustodyAttributes(bool? Token, bool? Sensitive, bool? Extractable, bool? AlwaysSensitive,
    bool? NeverExtractable, bool? Local)
{
    /// <summary>
    /// True when the attributes prove the key was generated inside the token and has never been,
    /// and can never be, exported.
    /// </summary>
    public bool ProvesNonExportable => Problems.Count == 0;

    /// <summary>What the attributes fail to prove, one sentence each; empty when all is well.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (Token != true) problems.Add("CKA_TOKEN is not true: the key is a session object and vanishes with the session");
            if (Sensitive != true) problems.Add("CKA_SENSITIVE is not true: the private value can be read");
            if (Extractable != false) problems.Add("CKA_EXTRACTABLE is not false: the key can be wrapped out of the token");
            if (AlwaysSensitive != true) problems.Add("CKA_ALWAYS_SENSITIVE is not true: the key was readable at some point");
            if (NeverExtractable != true) problems.Add("CKA_NEVER_EXTRACTABLE is not true: the key was extractable at some point");
            if (Local != true) problems.Add("CKA_LOCAL is not true: the key was imported, not generated on the token");
            return problems;
        }
    }
}
