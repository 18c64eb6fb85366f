#!/usr/bin/env bash
# Checks that the TPM is ready for the agent, and says what to do when it is not:
#   1. the resource manager device (/dev/tpmrm0) exists;
#   2. the agent's user may open it (group tss), when --user is given;
#   3. the TPM answers: `tpm2_getcap properties-fixed` gives its family (2.0), manufacturer
#      (IFX for Infineon), vendor string and firmware version.
# Makes no changes. Exit status: 0 ready, 1 not ready (the message says why), 2 usage.
#
#   check-tpm.sh [--device PATH] [--tcti TCTI] [--user NAME]
#
#   --device PATH   the resource manager device (default /dev/tpmrm0; env DEVICEAGENT_TPM_DEVICE)
#   --tcti TCTI     how tpm2-tools reach the TPM (default device:PATH; env TPM2TOOLS_TCTI),
#                   e.g. the simulator's tabrmd:bus_type=session,... in tests
#   --user NAME     also check that NAME may open the device (run as root)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

device=${DEVICEAGENT_TPM_DEVICE:-/dev/tpmrm0}
tcti=${TPM2TOOLS_TCTI:-}
user=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) [ $# -ge 2 ] || rpi_usage_error "--device needs a path"; device=$2; shift 2;;
    --tcti) [ $# -ge 2 ] || rpi_usage_error "--tcti needs a value"; tcti=$2; shift 2;;
    --user) [ $# -ge 2 ] || rpi_usage_error "--user needs a name"; user=$2; shift 2;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done
[ -n "$tcti" ] || tcti="device:$device"
rpi_need tpm2_getcap tpm2-tools

if [ ! -e "$device" ]; then
  rpi_die "$device does not exist: the kernel has not found a TPM" \
    "enable the SPI overlay with enable-tpm.sh (dtparam=spi=on, dtoverlay=tpm-slb9670 in /boot/firmware/config.txt) and reboot" \
    "after the reboot, 'dmesg | grep -i tpm' shows the driver binding or its error (a loose HAT, an SPI pin conflict)"
fi
rpi_say "$device exists"

if [ -n "$user" ]; then
  id -u "$user" >/dev/null 2>&1 || rpi_die "user '$user' does not exist" "create it with create-agent-user.sh"
  if [ "$(id -un)" = "$user" ]; then
    [ -r "$device" ] && [ -w "$device" ]
  else
    [ "$(id -u)" -eq 0 ] || rpi_die "checking another user's access needs root" "sudo $0 --user $user"
    runuser -u "$user" -- sh -c 'test -r "$1" && test -w "$1"' sh "$device"
  fi || rpi_die "$user may not open $device" \
    "add it to group tss: sudo usermod -aG tss $user (create-agent-user.sh does this)" \
    "'ls -l $device' must show group tss and crw-rw---- (the udev rule of tpm-udev; 'sudo udevadm trigger' applies it)"
  rpi_say "$user may open $device"
fi

properties=$(TPM2TOOLS_TCTI=$tcti timeout 30 tpm2_getcap properties-fixed 2>&1) ||
  rpi_die "the TPM does not answer through $tcti: $(tail -n 3 <<<"$properties" | tr '\n' ' ')" \
    "check 'dmesg | grep -i tpm'; another program holding /dev/tpm0 does not block /dev/tpmrm0"

# tpm2_getcap prints "NAME:" then indented "raw: ..." and "value: ..." lines.
property() { # name field
  awk -v name="$1:" -v field="$2:" '
    $1 == name { inside = 1; next }
    /^[^ ]/ { inside = 0 }
    inside && $1 == field { sub(/^[ \t]*[a-z]+:[ \t]*/, ""); gsub(/"/, ""); print; exit }
  ' <<<"$properties"
}
family=$(property TPM2_PT_FAMILY_INDICATOR value)
manufacturer=$(property TPM2_PT_MANUFACTURER value)
vendor=""
for n in 1 2 3 4; do vendor+=$(property "TPM2_PT_VENDOR_STRING_$n" value); done
firmware=$(property TPM2_PT_FIRMWARE_VERSION_1 raw)
case "$manufacturer" in
  IFX) maker="Infineon";; STM) maker="STMicroelectronics";; NTC) maker="Nuvoton";; ATML) maker="Microchip (Atmel)";;
  NTZ) maker="Nationz";; INTC) maker="Intel";; AMD) maker="AMD";; MSFT) maker="Microsoft";; IBM) maker="IBM; also what the swtpm simulator reports";;
  *) maker="";;
esac
# Infineon encodes its firmware version as major.minor in the two halves (e.g. 7.85); others vary.
if [ "$manufacturer" = IFX ] && [ -n "$firmware" ]; then
  value=$((firmware))
  firmware="$((value >> 16)).$((value & 0xFFFF)) ($firmware)"
fi

[ "$family" = "2.0" ] || rpi_die "the TPM reports family '${family:-unknown}', not 2.0" "the agent needs a TPM 2.0"
echo "TPM 2.0 ready at $device"
echo "  manufacturer: ${manufacturer:-unknown}${maker:+ ($maker)}"
echo "  vendor string: ${vendor:-none}"
echo "  firmware: ${firmware:-unknown}"
