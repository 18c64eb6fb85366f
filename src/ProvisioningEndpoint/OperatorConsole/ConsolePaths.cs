namespace ProvisioningEndpoint.OperatorConsole;

/// <summary>The console's URL space: everything under <see cref="Root"/> on the REST API's port.</summary>
internal static class ConsolePaths
{
    /// <summary>The console's root.</summary>
    public const string Root = "/console";

    /// <summary>The sign-in page.</summary>
    public const string SignIn = Root + "/sign-in";

    /// <summary>
    /// <paramref name="returnUrl"/> when it is a path inside the console, else the console's root:
    /// the sign-in page never redirects anywhere else (no open redirect).
    /// </summary>
    public static string LocalReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith(Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && (url.Length == Root.Length || url[Root.Length] is '/' or '?')
            ? url
            : Root;
}
