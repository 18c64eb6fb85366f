using System.Threading.Tasks.Sources;

namespace DeviceAgent.Mqtt.Transport;

/// <summary>
/// A reusable wake-up for one waiter (the channel's pump) that allocates nothing per wait.
/// <see cref="Arm"/> and <see cref="Set"/> are called under the channel's lock; the waiter
/// arms, leaves the lock, then awaits <see cref="WaitAsync"/>; a sender sets it at most once per arming.
/// </summary>
internal sealed class MqttPumpSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public void Arm() => _core.Reset();

    public void Set() => _core.SetResult(true);

    public ValueTask WaitAsync() => new(this, _core.Version);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
