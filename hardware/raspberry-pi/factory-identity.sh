#!/usr/bin/env bash
# First-boot factory step: gives the device its identity. Runs `bringup device create`, which
# generates the device key INSIDE the TPM token (create-token.sh made it), has the token sign a
# CSR, issues the leaf (subject CN = the registration id) from the production-line CA, and writes
# chain.pem (leaf, then intermediates) and root.pem; then installs both where the agent's
# configuration expects them (identity.chain = /var/lib/deviceagent/chain.pem) and prints the
# agent's identity settings. Safe to run again: a device that already has an identity for this
# registration id is left alone (--force issues a new one; the device must then provision again).
#
#   factory-identity.sh --registration-id ID --issuer LINE-CA [options]
#
#   --registration-id ID  the device's DPS registration id (letters, digits, '-', '.', '_', ':'; at most 128)
#   --issuer NAME         the bringup CA that issues the leaf (the production line's CA)
#   --bringup PATH        the bringup executable (default: 'bringup' on PATH; env BRINGUP)
#   --ca-dir DIR          bringup's CA store (passed as --ca-dir; default: bringup's own)
#   --module PATH         the PKCS#11 module (default: libtpm2_pkcs11.so in /usr/lib/<multiarch>/pkcs11)
#   --token LABEL         the token create-token.sh made (default device)
#   --key URI             the device key (default pkcs11:token=LABEL;object=device-key)
#   --pin-file FILE       the token's user PIN (default /etc/deviceagent/user.pin)
#   --env-file FILE       TPM2_PKCS11_STORE/TPM2_PKCS11_TCTI for the module (default /etc/deviceagent/tpm2-pkcs11.env)
#   --identity-dir DIR    where chain.pem and root.pem go (default /var/lib/deviceagent)
#   --user NAME           the agent's user, owner of the installed files (default deviceagent)
#   --force               issue a new identity even if one is installed
#   --dry-run             check the inputs and print the bringup command; change nothing
#
# Exit status: 0 done (or already done), 1 error, 2 usage.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

registration_id=""
issuer=""
bringup=${BRINGUP:-bringup}
ca_dir=""
module=""
token=device
key=""
pin_file=/etc/deviceagent/user.pin
env_file=/etc/deviceagent/tpm2-pkcs11.env
identity_dir=${DEVICEAGENT_STATE_DIR:-/var/lib/deviceagent}
user=${DEVICEAGENT_USER:-deviceagent}
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --registration-id|--issuer|--bringup|--ca-dir|--module|--token|--key|--pin-file|--env-file|--identity-dir|--user)
      [ $# -ge 2 ] && [ -n "$2" ] || rpi_usage_error "$1 needs a value"
      case "$1" in
        --registration-id) registration_id=$2;; --issuer) issuer=$2;; --bringup) bringup=$2;; --ca-dir) ca_dir=$2;;
        --module) module=$2;; --token) token=$2;; --key) key=$2;; --pin-file) pin_file=$2;; --env-file) env_file=$2;;
        --identity-dir) identity_dir=$2;; --user) user=$2;;
      esac
      shift 2;;
    --force) force=1; shift;;
    --dry-run) rpi_dry_run=1; shift;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done
[ -n "$registration_id" ] || rpi_usage_error "--registration-id is required"
[ -n "$issuer" ] || rpi_usage_error "--issuer is required"
# DPS: up to 128 characters, alphanumeric plus '-', '.', '_', ':' (bringup checks the full rules).
[[ "$registration_id" =~ ^[A-Za-z0-9._:-]{1,128}$ ]] ||
  rpi_die "'$registration_id' is not a valid DPS registration id" "use at most 128 letters, digits, '-', '.', '_' or ':'"
[ -n "$key" ] || key="pkcs11:token=$token;object=device-key"

rpi_need openssl openssl
bringup_path=$(command -v "$bringup" 2>/dev/null) ||
  rpi_die "the bringup CLI '$bringup' is not found" "install it or pass its path with --bringup PATH (or BRINGUP=PATH)"
if [ -z "$module" ]; then
  module=$(rpi_find_tpm2_pkcs11) || rpi_die "the tpm2-pkcs11 module (libtpm2_pkcs11.so) is not installed" \
    "sudo apt-get install -y libtpm2-pkcs11-1   (or run install-packages.sh)"
fi
[ -f "$module" ] || rpi_die "the PKCS#11 module $module does not exist" "pass the right path with --module"
[ -s "$pin_file" ] || rpi_die "the token's PIN file $pin_file is missing or empty" "create the token first: create-token.sh"
id -u "$user" >/dev/null 2>&1 || rpi_die "user '$user' does not exist" "create it first: create-agent-user.sh --user $user"

# The module finds its store and TPM through these two variables; nothing else is taken from the file.
if [ -f "$env_file" ]; then
  while IFS='=' read -r name value; do
    case "$name" in TPM2_PKCS11_STORE|TPM2_PKCS11_TCTI) export "$name=$value";; esac
  done < "$env_file"
else
  rpi_warn "$env_file does not exist; the module uses its defaults (store in \$HOME/.tpm2_pkcs11, TCTI from the environment)"
fi

subject_cn() { # pem-file: the CN of its first certificate
  openssl x509 -in "$1" -noout -subject -nameopt RFC2253 2>/dev/null | sed -n 's/^subject=//p' |
    tr ',' '\n' | sed -n 's/^CN=//p' | head -n 1
}

chain="$identity_dir/chain.pem"
root="$identity_dir/root.pem"
if [ -s "$chain" ] && [ "$force" -eq 0 ]; then
  installed=$(subject_cn "$chain")
  if [ "$installed" = "$registration_id" ]; then
    rpi_say "$chain already holds the identity of '$registration_id'; nothing to do (--force issues a new one)"
    exit 0
  fi
  rpi_die "$chain holds the identity of '${installed:-unreadable}', not '$registration_id'" \
    "pass --force to replace it (the device must then provision again), or use the registration id it already has"
fi

command=("$bringup_path" device create --module "$module" --key "$key" --pin-file "$pin_file"
  --registration-id "$registration_id" --issuer "$issuer")
[ -z "$ca_dir" ] || command+=(--ca-dir "$ca_dir")
if rpi_would "run: $(printf '%q ' "${command[@]}") --out TEMPDIR; install chain.pem and root.pem into $identity_dir (owner $user)"; then
  exit 0
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-identity.XXXXXX")
trap 'rm -rf "$out"' EXIT
rpi_say "bringup device create for '$registration_id' (issuer $issuer); the key is generated inside the token"
"${command[@]}" --out "$out" >&2 ||
  rpi_die "bringup device create failed (exit $?); nothing was installed" "its message above names the cause; fix it and run this script again"

for file in chain.pem root.pem; do
  [ -s "$out/$file" ] || rpi_die "bringup wrote no $file into its output directory; nothing was installed"
  openssl x509 -in "$out/$file" -noout 2>/dev/null || rpi_die "$file from bringup is not a PEM certificate; nothing was installed"
done
issued=$(subject_cn "$out/chain.pem")
[ "$issued" = "$registration_id" ] ||
  rpi_die "the leaf bringup issued has CN '$issued', not '$registration_id'; nothing was installed"
openssl verify -CAfile "$out/root.pem" -untrusted "$out/chain.pem" "$out/chain.pem" >/dev/null 2>"$out/verify.log" ||
  rpi_die "the chain bringup wrote does not verify up to its root: $(tr '\n' ' ' < "$out/verify.log"); nothing was installed"

group=$(id -gn "$user")
install -d -m 0750 -o "$user" -g "$group" "$identity_dir"
rpi_write_file "$root" 644 "$user:$group" < "$out/root.pem"
rpi_write_file "$chain" 644 "$user:$group" < "$out/chain.pem"
# The key was created in the store as root: give any new store file back to the agent's user.
[ -z "${TPM2_PKCS11_STORE:-}" ] || [ ! -d "$TPM2_PKCS11_STORE" ] || chown -R "$user:$group" "$TPM2_PKCS11_STORE"
rpi_say "installed $chain and $root for '$registration_id'"

cat <<JSON
{
  "identity": {
    "module": "$module",
    "key": "$key",
    "pinFile": "$pin_file",
    "chain": "$chain"
  }
}
JSON
