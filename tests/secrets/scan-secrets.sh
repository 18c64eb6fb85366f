#!/usr/bin/env bash
# Secrets check over a test run's logs and outputs (issue 18): no PIN, SAS key, connection-string
# key, passphrase or private key may appear in them.
#
#   tests/secrets/scan-secrets.sh RESULTS_DIR [STAMP_FILE]
#
# Scanned: every file under RESULTS_DIR (trx files carry each test's console output), and the log
# and output files (*.log *.txt *.json *.trx stdout stderr) written under ${TMPDIR:-/tmp} since
# STAMP_FILE was touched (the test run's own temp outputs). Looked for:
#   - PEM private-key markers (-----BEGIN ... PRIVATE KEY-----);
#   - SharedAccessKey=<value> and sig=<value> with a value (connection strings, SAS tokens);
#   - the known test secrets: the passphrases the test sources declare, and the contents of the PIN
#     and key files (*.pin, owner.key) still present in the run's temp outputs.
# Prints each finding as FILE: WHAT (never the secret itself) and exits 1 when there is one.
set -euo pipefail
results=${1:?usage: scan-secrets.sh RESULTS_DIR [STAMP_FILE]}
stamp=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

files=()
[ -d "$results" ] && while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$results" -type f -print0)
secret_files=()
if [ -n "$stamp" ] && [ -f "$stamp" ]; then
  tmp=${TMPDIR:-/tmp}
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$tmp" -xdev -type f -newer "$stamp" \
    \( -name '*.log' -o -name '*.txt' -o -name '*.json' -o -name '*.trx' -o -name stdout -o -name stderr \) \
    -size -20M -print0 2>/dev/null || true)
  while IFS= read -r -d '' f; do secret_files+=("$f"); done < <(find "$tmp" -xdev -type f -newer "$stamp" \
    \( -name '*.pin' -o -name 'owner.key' \) -size -1k -print0 2>/dev/null || true)
fi

# The known secrets: declared passphrases, then PIN and key file contents (8 characters or more,
# so that a short common string cannot match by chance).
secrets=()
while IFS= read -r s; do [ "${#s}" -ge 8 ] && secrets+=("$s"); done < <(
  grep -rhoE 'const string (Passphrase|Pin|UserPin|SoPin|Secret|Key)[A-Za-z]* = "[^"]+"' "$repo/tests" --include='*.cs' 2>/dev/null |
    sed -E 's/.*= "([^"]+)"/\1/' | sort -u)
for f in "${secret_files[@]}"; do
  s=$(tr -d '\r\n' < "$f" 2>/dev/null || true)
  [ "${#s}" -ge 8 ] && secrets+=("$s")
done

# A file found both ways is scanned once.
mapfile -d '' -t files < <(printf '%s\0' "${files[@]}" | sort -zu)

# A PEM private key with its body: the BEGIN line and a base64 line after it, or the same
# JSON-escaped on one line. A marker alone (a test's name for a malformed bundle) is no key.
pem_private_key() {
  grep -qE -- '-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----(\\r)?\\n[A-Za-z0-9+/]{40}' "$1" && return 0
  grep -A1 -E -- '-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----' "$1" | grep -qE '^[[:space:]]*[A-Za-z0-9+/]{40}'
}

findings=0
report() { echo "secrets: $1: $2" >&2; findings=$((findings + 1)); }
for f in "${files[@]}"; do
  [ -r "$f" ] || continue
  if pem_private_key "$f"; then report "$f" "a PEM private key"; fi
  if grep -qE 'SharedAccessKey=[A-Za-z0-9+/=]{8,}' "$f"; then report "$f" "a connection-string SharedAccessKey value"; fi
  if grep -qE 'SharedAccessSignature sr=[^ ]*sig=[A-Za-z0-9%+/=]{16,}' "$f"; then report "$f" "a SAS token signature"; fi
  for s in "${secrets[@]}"; do
    if grep -qF -- "$s" "$f"; then report "$f" "a known test secret (${#s} characters)"; fi
  done
done
if [ "$findings" -gt 0 ]; then
  echo "secrets: $findings finding(s) in ${#files[@]} file(s); a test or a program logs a secret" >&2
  exit 1
fi
echo "secrets: no secret in ${#files[@]} log/output file(s) (${#secrets[@]} known secrets checked)"
