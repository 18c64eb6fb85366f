using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Gpio;

public sealed class GpioChipLocatorTests : IDisposable
{
    private readonly DirectoryInfo _dev = Directory.CreateTempSubdirectory("deviceagent-dev-");
    private readonly Dictionary<string, string> _labels = [];
    private readonly List<FakeGpioChip> _opened = [];
    private readonly List<string> _openedPaths = [];

    public void Dispose() => _dev.Delete(recursive: true);

    [Fact]
    public void A_path_is_opened_as_given()
    {
        using var chip = GpioChipLocator.Open("/dev/gpiochip4", _dev.FullName, Opener);
        Assert.Equal(["/dev/gpiochip4"], _openedPaths);
    }

    [Fact]
    public void A_device_name_is_opened_in_the_device_directory()
    {
        using var chip = GpioChipLocator.Open("gpiochip2", _dev.FullName, Opener);
        Assert.Equal([Path.Combine(_dev.FullName, "gpiochip2")], _openedPaths);
    }

    [Fact]
    public void A_label_finds_its_chip_in_numeric_order_and_closes_the_others()
    {
        Node("gpiochip10", "raspberrypi-exp-gpio");
        Node("gpiochip2", "brcmvirt-gpio");
        Node("gpiochip0", "pinctrl-bcm2711");
        Node("gpiochip1", "pinctrl-bcm2711"); // a second chip with the same label is never reached

        using var chip = GpioChipLocator.Open("pinctrl-bcm2711", _dev.FullName, Opener);
        Assert.Equal(Path.Combine(_dev.FullName, "gpiochip0"), chip.Path);

        using var other = GpioChipLocator.Open("raspberrypi-exp-gpio", _dev.FullName, Opener);
        Assert.Equal(Path.Combine(_dev.FullName, "gpiochip10"), other.Path);
        Assert.All(_opened.Where(c => c != chip && c != other), c => Assert.True(c.IsDisposed));
    }

    [Fact]
    public void Device_nodes_are_listed_in_the_kernels_numbering_order()
    {
        foreach (var name in new[] { "gpiochip10", "gpiochip9", "gpiochip0", "gpiochipX", "tpm0" })
            File.WriteAllText(Path.Combine(_dev.FullName, name), "");
        Assert.Equal(["gpiochip0", "gpiochip9", "gpiochip10"], GpioChipLocator.DeviceNodes(_dev.FullName).Select(Path.GetFileName));
    }

    [Fact]
    public void An_unknown_label_lists_the_labels_found()
    {
        Node("gpiochip0", "pinctrl-bcm2711");
        Node("gpiochip1", "raspberrypi-exp-gpio");
        var e = Assert.Throws<GpioException>(() => GpioChipLocator.Open("pinctrl-rp1", _dev.FullName, Opener));
        Assert.Equal($"no GPIO chip labelled 'pinctrl-rp1' in {_dev.FullName} (found: gpiochip0 'pinctrl-bcm2711', gpiochip1 'raspberrypi-exp-gpio'); " +
            "set the chip to one of these labels or to a /dev/gpiochipN path", e.Message);
    }

    [Fact]
    public void No_chips_at_all_says_the_machine_has_no_GPIO_controller()
    {
        var e = Assert.Throws<GpioException>(() => GpioChipLocator.Open("pinctrl-rp1", _dev.FullName, Opener));
        Assert.StartsWith($"no GPIO chips in {_dev.FullName}: this machine has no GPIO controller", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_no_chip_opens_the_reason_is_reported_rather_than_a_missing_label()
    {
        Node("gpiochip0", "pinctrl-bcm2711");
        var e = Assert.Throws<GpioException>(() => GpioChipLocator.Open("pinctrl-bcm2711", _dev.FullName,
            path => throw GpioException.OpenFailed(path, LibC.EACCES)));
        Assert.True(e.IsPermissionDenied);
    }

    private void Node(string name, string label)
    {
        var path = Path.Combine(_dev.FullName, name);
        File.WriteAllText(path, "");
        _labels[path] = label;
    }

    private FakeGpioChip Opener(string path)
    {
        _openedPaths.Add(path);
        var chip = new FakeGpioChip(path, _labels.GetValueOrDefault(path, "label"));
        _opened.Add(chip);
        return chip;
    }
}
