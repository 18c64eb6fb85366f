#!/usr/bin/env bash
# Creates the agent's PKCS#11 token in the TPM: a tpm2-pkcs11 store owned by the agent's user,
# with one token whose user PIN and security-officer (SO) PIN are generated here, at random,
# into files that nobody else can read. The PINs never appear on a command line (pkcs11-tool
# reads them from its environment).
#   - user PIN file (default /etc/deviceagent/user.pin; 0600, the agent's user): what the agent's
#     identity.pinFile (or the unit's LoadCredential=) points at;
#   - SO PIN file (default /etc/deviceagent/so.pin; 0600, root): for the factory, to reset the
#     user PIN; collect it into the factory's records and remove it from the device;
#   - environment file (default /etc/deviceagent/tpm2-pkcs11.env): TPM2_PKCS11_STORE and
#     TPM2_PKCS11_TCTI, for the agent's unit (EnvironmentFile=) and for bringup.
# Safe to run again: an existing token is kept (its PIN file must still be there), and PIN files
# left by an interrupted run are reused.
#
#   create-token.sh [--user NAME] [--label LABEL] [--store DIR] [--tcti TCTI] [--module PATH]
#                   [--pin-file FILE] [--so-pin-file FILE] [--env-file FILE] [--dry-run]
#
#   --user NAME        the agent's user, owner of the store and the user PIN (default deviceagent)
#   --label LABEL      the token label (default device); the key URI is then pkcs11:token=LABEL;...
#   --store DIR        the tpm2-pkcs11 store (default /var/lib/deviceagent/tpm2-pkcs11)
#   --tcti TCTI        how to reach the TPM (default device:/dev/tpmrm0; a simulator's in tests)
#   --module PATH      libtpm2_pkcs11.so (default: found in /usr/lib/<multiarch>/pkcs11)
#
# Run as root (or as the agent's user, with paths it may write).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

user=${DEVICEAGENT_USER:-deviceagent}
label=device
store=/var/lib/deviceagent/tpm2-pkcs11
tcti=device:/dev/tpmrm0
module=""
pin_file=/etc/deviceagent/user.pin
so_pin_file=/etc/deviceagent/so.pin
env_file=/etc/deviceagent/tpm2-pkcs11.env
while [ $# -gt 0 ]; do
  case "$1" in
    --user|--label|--store|--tcti|--module|--pin-file|--so-pin-file|--env-file)
      [ $# -ge 2 ] && [ -n "$2" ] || rpi_usage_error "$1 needs a value"
      case "$1" in
        --user) user=$2;; --label) label=$2;; --store) store=$2;; --tcti) tcti=$2;; --module) module=$2;;
        --pin-file) pin_file=$2;; --so-pin-file) so_pin_file=$2;; --env-file) env_file=$2;;
      esac
      shift 2;;
    --dry-run) rpi_dry_run=1; shift;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done
[[ "$label" =~ ^[A-Za-z0-9._-]{1,32}$ ]] || rpi_usage_error "the label '$label' must be 1-32 letters, digits, '.', '_' or '-'"

rpi_need tpm2_ptool libtpm2-pkcs11-tools
rpi_need pkcs11-tool opensc
if [ -z "$module" ]; then
  module=$(rpi_find_tpm2_pkcs11) || rpi_die "the tpm2-pkcs11 module (libtpm2_pkcs11.so) is not installed" \
    "sudo apt-get install -y libtpm2-pkcs11-1   (or run install-packages.sh)"
fi
[ -f "$module" ] || rpi_die "the PKCS#11 module $module does not exist" "pass the right path with --module"
id -u "$user" >/dev/null 2>&1 || rpi_die "user '$user' does not exist" "create it first: create-agent-user.sh --user $user"
group=$(id -gn "$user")

# Everything below talks to the TPM through this store and TCTI only.
export TPM2_PKCS11_STORE=$store TPM2_PKCS11_TCTI=$tcti TPM2TOOLS_TCTI=$tcti
p11() { pkcs11-tool --module "$module" "$@"; }

token_exists() {
  [ -f "$store/tpm2_pkcs11.sqlite3" ] || return 1
  local slots
  slots=$(p11 --list-slots 2>&1) || rpi_die "the token store $store does not open: $(tail -n 2 <<<"$slots" | tr '\n' ' ')" \
    "check that the TPM answers: check-tpm.sh --tcti '$tcti'"
  sed -n 's/^[[:space:]]*token label[[:space:]]*:[[:space:]]*//p' <<<"$slots" | sed 's/[[:space:]]*$//' | grep -qxF -- "$label"
}

# The slot id of the store's uninitialised slot, as pkcs11-tool --list-slots shows it.
free_slot() {
  p11 --list-slots 2>/dev/null | awk '
    /^Slot [0-9]+ \(0x[0-9a-fA-F]+\)/ { slot = $3; gsub(/[():]/, "", slot) }
    /token state:[[:space:]]*uninitialized/ && slot != "" { print slot; exit }'
}

# 1. the store
if [ -f "$store/tpm2_pkcs11.sqlite3" ]; then
  rpi_say "token store $store exists"
elif ! rpi_would "create the token store $store (tpm2_ptool init, owner $user)"; then
  install -d -m 0700 -o "$user" -g "$group" "$store"
  log=$(tpm2_ptool init --path "$store" 2>&1) || rpi_die "tpm2_ptool init failed: $(tail -n 3 <<<"$log" | tr '\n' ' ')" \
    "check that the TPM answers: check-tpm.sh --tcti '$tcti'"
  rpi_say "created the token store $store"
fi

# 2. the token
if [ "$rpi_dry_run" -eq 0 ] || [ -f "$store/tpm2_pkcs11.sqlite3" ]; then exists=$(token_exists && echo 1 || echo 0); else exists=0; fi
if [ "$exists" -eq 1 ]; then
  [ -s "$pin_file" ] || rpi_die "the token '$label' exists but its user PIN file $pin_file is missing; the PIN cannot be recovered" \
    "the factory's SO PIN can set a new one: pkcs11-tool --module $module --token-label $label --login --login-type so --init-pin" \
    "or start over (destroys the token's keys): tpm2_ptool rmtoken --label $label --path $store"
  rpi_say "token '$label' exists in $store"
elif ! rpi_would "generate the user and SO PINs into $pin_file and $so_pin_file, initialise token '$label' in $store"; then
  for file in "$pin_file" "$so_pin_file"; do
    if [ -s "$file" ]; then
      rpi_say "reusing the PIN in $file (left by an earlier run)"
    else
      mkdir -p "$(dirname "$file")"
      rpi_random_pin | rpi_write_file "$file" 600 root:root
    fi
  done
  slot=$(free_slot)
  [ -n "$slot" ] || rpi_die "the store $store has no free slot for token '$label'" "list its tokens: pkcs11-tool --module $module --list-slots"
  # The PINs reach pkcs11-tool through its environment (env:NAME), never its command line.
  DEVICEAGENT_SO_PIN=$(<"$so_pin_file") DEVICEAGENT_USER_PIN=$(<"$pin_file") bash -c '
    set -euo pipefail
    pkcs11-tool --module "$1" --slot "$2" --init-token --label "$3" --so-pin env:DEVICEAGENT_SO_PIN
    pkcs11-tool --module "$1" --token-label "$3" --login --login-type so --so-pin env:DEVICEAGENT_SO_PIN \
      --init-pin --new-pin env:DEVICEAGENT_USER_PIN
  ' bash "$module" "$slot" "$label" > /dev/null 2>"$store/.init.log" ||
    rpi_die "initialising token '$label' failed: $(tail -n 3 "$store/.init.log" | tr '\n' ' ')" "see $store/.init.log"
  rm -f "$store/.init.log"
  rpi_say "initialised token '$label'"
fi

# 3. ownership: the agent's user owns the store and reads the user PIN; only root reads the SO PIN.
if ! rpi_would "give $store and $pin_file to $user, keep $so_pin_file root's, write $env_file"; then
  chown -R "$user:$group" "$store"
  chmod 0700 "$store"
  find "$store" -type f -exec chmod 0600 {} +
  rpi_write_file "$pin_file" 600 "$user:$group" < "$pin_file"
  [ ! -f "$so_pin_file" ] || rpi_write_file "$so_pin_file" 600 root:root < "$so_pin_file"
  mkdir -p "$(dirname "$env_file")"
  printf 'TPM2_PKCS11_STORE=%s\nTPM2_PKCS11_TCTI=%s\n' "$store" "$tcti" | rpi_write_file "$env_file" 644 root:root

  # 4. the proof: the user PIN logs in.
  DEVICEAGENT_USER_PIN=$(<"$pin_file") p11 --token-label "$label" --login --pin env:DEVICEAGENT_USER_PIN --list-objects >/dev/null 2>&1 ||
    rpi_die "the user PIN in $pin_file does not log in to token '$label'" \
      "each wrong PIN counts toward the TPM's dictionary-attack lockout: do not retry blindly"
  rpi_say "token '$label' ready: user PIN in $pin_file, SO PIN in $so_pin_file (collect it, then remove it from the device)"
  echo "module: $module"
  echo "token: $label"
  echo "key URI for bringup and the agent: pkcs11:token=$label;object=device-key"
  echo "pin file: $pin_file"
  echo "environment: $env_file"
fi
