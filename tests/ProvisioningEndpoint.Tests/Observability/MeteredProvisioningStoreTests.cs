using System.Reflection;
using ProvisioningEndpoint.Observability;
using ProvisioningEndpoint.Storage;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Observability;

/// <summary>
/// The store decorator forwards every operation of <see cref="IProvisioningStore"/> to the store
/// it wraps, unchanged, and times each under its own name with its result (a method added to the
/// interface and forwarded wrongly, or not measured, fails here).
/// </summary>
public sealed class MeteredProvisioningStoreTests
{
    public static TheoryData<string> Operations() => [.. typeof(IProvisioningStore).GetMethods().Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Every_operation_reaches_the_inner_store_and_is_timed_under_its_name(string method)
    {
        var metrics = new EndpointMetrics();
        var inner = DispatchProxy.Create<IProvisioningStore, RecordingStore>();
        var store = new MeteredProvisioningStore(inner, metrics);
        var operation = typeof(IProvisioningStore).GetMethod(method)!;

        await (Task)operation.Invoke(store, [.. operation.GetParameters().Select(Default)])!;

        Assert.Equal(new[] { method }, ((RecordingStore)(object)inner).Calls);
        var scrape = await ScrapeAsync(metrics);
        Assert.Equal(1, scrape.Value("provisioning_endpoint_store_operation_duration_seconds_count", ("operation", method[..^"Async".Length]), ("result", "ok")));
    }

    [Fact]
    public async Task A_conflict_is_counted_as_one_and_passes_through_unchanged()
    {
        var metrics = new EndpointMetrics();
        var inner = DispatchProxy.Create<IProvisioningStore, RecordingStore>();
        var conflict = new StoreConflictException("etag mismatch");
        ((RecordingStore)(object)inner).Failure = conflict;
        var store = new MeteredProvisioningStore(inner, metrics);

        var thrown = await Record.ExceptionAsync(() => store.DeleteHubDeviceAsync("hub1", "device-1", "\"stale\""));

        Assert.Same(conflict, thrown);
        var scrape = await ScrapeAsync(metrics);
        Assert.Equal(1, scrape.Value("provisioning_endpoint_store_operation_duration_seconds_count", ("operation", "DeleteHubDevice"), ("result", "conflict")));
        Assert.Equal(0, scrape.Value("provisioning_endpoint_store_operation_duration_seconds_count", ("operation", "DeleteHubDevice"), ("result", "ok")));
    }

    private static object? Default(ParameterInfo parameter) =>
        parameter.ParameterType == typeof(CancellationToken) ? CancellationToken.None
        : parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType)
        : null;

    private static async Task<PrometheusText> ScrapeAsync(EndpointMetrics metrics)
    {
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(text.ToArray()));
    }
}

/// <summary>An <see cref="IProvisioningStore"/> that records the operations called and answers each with its type's default (or fails with <see cref="Failure"/>).</summary>
public class RecordingStore : DispatchProxy
{
    public List<string> Calls { get; } = [];

    public Exception? Failure { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Calls.Add(targetMethod.Name);
        var type = targetMethod.ReturnType;
        if (Failure is not null)
            return type == typeof(Task) ? Task.FromException(Failure) : FromResult(type, Failure);
        return type == typeof(Task) ? Task.CompletedTask : FromResult(type, null);
    }

    private static object FromResult(Type taskType, Exception? failure)
    {
        var result = taskType.GetGenericArguments()[0];
        var source = Activator.CreateInstance(typeof(TaskCompletionSource<>).MakeGenericType(result))!;
        if (failure is not null)
            source.GetType().GetMethod(nameof(TaskCompletionSource<int>.SetException), [typeof(Exception)])!.Invoke(source, [failure]);
        else
            source.GetType().GetMethod(nameof(TaskCompletionSource<int>.SetResult))!.Invoke(source, [result.IsValueType ? Activator.CreateInstance(result) : null]);
        return source.GetType().GetProperty(nameof(TaskCompletionSource<int>.Task))!.GetValue(source)!;
    }
}
