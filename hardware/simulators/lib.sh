# Shared helpers for the simulator scripts. Sourced, not executed.
# Contract: diagnostics go to stderr; stdout carries only `export NAME='value'` lines.

sim_die() { echo "simulator: error: $*" >&2; exit 1; }

sim_need() { # command package
  command -v "$1" >/dev/null 2>&1 ||
    sim_die "'$1' is not installed (Debian package '$2'); run './build.sh deps' as root or: sudo apt-get install -y $2"
}

# Print two consecutive free TCP ports on 127.0.0.1 ("P P+1"); swtpm's TCTI derives the
# control port as server port + 1.
sim_free_port_pair() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    p = random.randrange(20000, 60000, 2)
    socks = []
    try:
        for q in (p, p + 1):
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", q)); socks.append(s)
        print(p, p + 1); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
else:
    raise SystemExit("no free port pair found")
PY
}

# Find a PKCS#11 module by file name in the multiarch locations Debian uses.
sim_find_module() { # file-name
  local arch candidate
  arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
  for candidate in "/usr/lib/$arch/pkcs11/$1" "/usr/lib/$arch/softhsm/$1" "/usr/lib/softhsm/$1" "/usr/lib/pkcs11/$1" "/usr/lib/$arch/$1"; do
    [ -f "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

# Wait until a command succeeds, up to N tenths of a second.
sim_wait_for() { # tenths command...
  local tries=$1; shift
  while [ "$tries" -gt 0 ]; do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1; tries=$((tries - 1))
  done
  return 1
}

sim_kill_pidfile() { # file
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

sim_random_pin() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
