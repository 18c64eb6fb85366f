# Shared helpers for the Raspberry Pi set-up scripts. Sourced, not executed.
# Contract: progress, warnings and errors go to stderr, prefixed with the script's name; with
# --dry-run every change is printed as "would: ..." and none is made; every path a script uses
# has an option or an environment variable, so that the scripts run against temporary copies
# and a simulated TPM in tests.

rpi_name=$(basename "$0" .sh)
rpi_dry_run=0

rpi_say() { echo "$rpi_name: $*" >&2; }
rpi_warn() { echo "$rpi_name: warning: $*" >&2; }

# rpi_die MESSAGE [HINT...]: the message, then one "hint:" line per further argument; exit 1.
rpi_die() {
  echo "$rpi_name: error: $1" >&2
  shift
  local hint
  for hint in "$@"; do echo "  hint: $hint" >&2; done
  exit 1
}

rpi_usage_error() { echo "$rpi_name: $1 (try --help)" >&2; exit 2; }

# The comment block at the top of the script (after the shebang), without the '# '.
rpi_usage() { sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

# rpi_run COMMAND...: run it, or under --dry-run print it (shell-quoted) and succeed.
rpi_run() {
  if [ "$rpi_dry_run" -eq 1 ]; then
    echo "$rpi_name: would run: $(printf '%q ' "$@" | sed 's/ $//')" >&2
  else
    "$@"
  fi
}

# rpi_would TEXT: under --dry-run say what would happen and return 0 (the caller skips the change);
# otherwise return 1 (the caller makes it).
rpi_would() {
  if [ "$rpi_dry_run" -eq 1 ]; then
    echo "$rpi_name: would: $*" >&2
    return 0
  fi
  return 1
}

rpi_need() { # command debian-package
  command -v "$1" >/dev/null 2>&1 ||
    rpi_die "'$1' is not installed" "sudo apt-get install -y $2   (or run install-packages.sh)"
}

rpi_need_root() {
  [ "$rpi_dry_run" -eq 1 ] && return 0
  [ "$(id -u)" -eq 0 ] || rpi_die "this step changes the system and must run as root" "sudo $0 (with the same arguments)"
}

# The tpm2-pkcs11 module in Debian's multiarch locations (aarch64 on a Raspberry Pi OS arm64 image).
rpi_find_tpm2_pkcs11() {
  local arch candidate
  arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine 2>/dev/null || uname -m)
  case "$arch" in *-*) ;; *) arch="$arch-linux-gnu";; esac
  for candidate in "/usr/lib/$arch/pkcs11/libtpm2_pkcs11.so" "/usr/lib/$arch/libtpm2_pkcs11.so" \
                   /usr/lib/*/pkcs11/libtpm2_pkcs11.so /usr/lib/pkcs11/libtpm2_pkcs11.so; do
    [ -f "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

# A random PIN: 24 hex digits (96 bits) from the kernel's CSPRNG.
rpi_random_pin() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }

# rpi_write_file PATH MODE OWNER:GROUP < content: atomically (temp file in the same directory,
# then rename), so that a failure never leaves a partial file. Returns without writing when the
# file already has exactly this content, mode and owner.
rpi_write_file() {
  local path=$1 mode=$2 owner=$3 dir tmp
  dir=$(dirname "$path")
  tmp=$(mktemp "$dir/.$(basename "$path").XXXXXX")
  cat > "$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path" &&
     [ "$(stat -c '%a %U:%G' "$path")" = "$mode $owner" ]; then
    rm -f "$tmp"
    return 0
  fi
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$path"
}
