#!/usr/bin/env bash
# Builds the Debian packages with dpkg-deb (`./build.sh package` runs this):
#   deviceagent_V_arm64.deb, deviceagent_V_amd64.deb
#                          the agent daemon `deviceagent` and the factory CLI `bringup` as native
#                          executables (native AOT: no .NET runtime on the device); the systemd
#                          unit, system user and sample agent.json. arm64 is cross-compiled here
#                          with clang and lld against Debian's arm64 libraries installed multiarch
#                          (./build.sh deps installs them).
#   provisioning-endpoint_V_all.deb
#                          the local DPS-compatible endpoint; framework-dependent and portable on
#                          the ASP.NET Core 10 runtime (a factory or lab server, not the device:
#                          see deploy/README.md, "Why the endpoint stays Architecture: all").
# Sources: deploy/debian/. Needs the .NET 10 SDK and dpkg-deb; reaches no network but the NuGet restore.
#
#   deploy/package.sh [--out DIR] [--version VERSION] [--arch LIST]
#
#   --out DIR        where the .deb files go (default artifacts/); prints their paths on stdout
#   --version V      the package version (default: <Version> in Directory.Build.props)
#   --arch LIST      the agent's Debian architectures, comma-separated (default amd64,arm64)
#   --no-endpoint    build only the agent packages
#
# Environment: CONFIGURATION (default Release).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sources="$root/deploy/debian"
configuration=${CONFIGURATION:-Release}
out="$root/artifacts"
version=""
architectures="amd64,arm64"
endpoint=yes

say() { printf 'package: %s\n' "$*" >&2; }
die() { printf 'package: error: %s\n' "$1" >&2; [ $# -lt 2 ] || printf '  hint: %s\n' "${@:2}" >&2; exit 1; }
usage_error() { printf 'package: %s (try --help)\n' "$1" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || usage_error "--out needs a directory"; out=$2; shift 2;;
    --version) [ $# -ge 2 ] && [ -n "$2" ] || usage_error "--version needs a value"; version=$2; shift 2;;
    --arch) [ $# -ge 2 ] && [ -n "$2" ] || usage_error "--arch needs a list (amd64,arm64)"; architectures=$2; shift 2;;
    --no-endpoint) endpoint=no; shift;;
    -h|--help) sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0;;
    *) usage_error "unknown argument '$1'";;
  esac
done

command -v dotnet >/dev/null || die "the .NET 10 SDK is not installed" "see https://learn.microsoft.com/dotnet/core/install/linux-debian"
command -v dpkg-deb >/dev/null || die "dpkg-deb is not installed" "sudo apt-get install -y dpkg"
if [ -z "$version" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
  [ -n "$version" ] || die "no <Version> in Directory.Build.props" "pass --version"
fi
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || usage_error "'$version' is not a Debian version"
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Reproducible member timestamps (dpkg-deb honours SOURCE_DATE_EPOCH).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}

work=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# publish PROJECT: a framework-dependent, portable build (no RID) into $work/publish/PROJECT.
# The apphost it also makes is native code for the build machine, so it is left out of the
# package, as are the XML docs and satellite resources (the programs run with invariant
# globalization), and native libraries for systems .NET on Debian is not (Windows, macOS, musl...).
publish() {
  local project=$1 dir="$work/publish/$1"
  say "dotnet publish src/$project ($configuration, framework-dependent, portable)"
  dotnet publish "$root/src/$project" -c "$configuration" -o "$dir" -nologo -v quiet -clp:ErrorsOnly >&2 ||
    die "dotnet publish src/$project failed" "its errors are above; ./build.sh build shows the same"
  find "$dir" -name '*.xml' -delete
  find "$dir" -name '*.resources.dll' -delete
  find "$dir" -mindepth 1 -type d -empty -delete
  if [ -d "$dir/runtimes" ]; then
    find "$dir/runtimes" -mindepth 1 -maxdepth 1 -type d \
      ! -name linux-x64 ! -name linux-arm64 ! -name linux-arm -exec rm -rf {} +
  fi
}

# rid_of ARCH: the .NET runtime identifier of a Debian architecture.
rid_of() {
  case "$1" in
    amd64) echo linux-x64;;
    arm64) echo linux-arm64;;
    *) usage_error "'$1' is not an architecture the agent is built for (amd64, arm64)";;
  esac
}

# publish_native PROJECT ARCH: native AOT into $work/publish/ARCH/PROJECT (one executable; its
# symbols are left out). arm64 is a cross-compile: clang targets aarch64 with / as the
# sysroot (Debian's arm64 libc, libgcc and zlib, multiarch) and aarch64 objcopy strips.
publish_native() {
  local project=$1 arch=$2 rid dir="$work/publish/$2/$1" cross=()
  rid=$(rid_of "$arch")
  if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    command -v aarch64-linux-gnu-objcopy >/dev/null && [ -e /usr/lib/aarch64-linux-gnu/libz.a ] ||
      die "the arm64 cross-compile needs binutils-aarch64-linux-gnu and zlib1g-dev:arm64" "./build.sh deps installs them (dpkg --add-architecture arm64 first)"
    cross=(-p:SysRoot=/ -p:ObjCopyName=aarch64-linux-gnu-objcopy)
  fi
  command -v clang >/dev/null && command -v ld.lld >/dev/null || die "native AOT links with clang and lld" "./build.sh deps installs them"
  say "dotnet publish src/$project ($configuration, native AOT, $rid)"
  dotnet publish "$root/src/$project" -c "$configuration" -r "$rid" -o "$dir" -nologo -v quiet -clp:ErrorsOnly \
      -p:CppCompilerAndLinker=clang -p:LinkerFlavor=lld "${cross[@]}" >&2 ||
    die "dotnet publish src/$project for $rid failed" "its errors are above (an AOT or trim warning is an error)"
  # Symbols (.dbg) and the libraries' .pdb and XML docs publish copies: not the program.
  find "$dir" \( -name '*.dbg' -o -name '*.pdb' -o -name '*.xml' \) -delete
}

# stage_native PROJECT PROGRAM ARCH: the native executable as /usr/bin/PROGRAM of deviceagent's ARCH root.
stage_native() {
  local from="$work/publish/$3/$1" stage="$work/root/deviceagent-$3"
  [ -x "$from/$2" ] || die "src/$1 published no native executable $2 for $3"
  if find "$from" -type f ! -name "$2" | grep -q .; then
    die "src/$1 published more than its executable for $3: $(cd "$from" && find . -type f ! -name "$2" | tr '\n' ' ')" "a native AOT program is one file; a library with native assets needs packaging"
  fi
  install -D -m 0755 "$from/$2" "$stage/usr/bin/$2"
}

# stage_program PROJECT ASSEMBLY PACKAGE: the published files into /usr/lib/PACKAGE and a launcher
# /usr/bin/ASSEMBLY. Programs of one package share the directory; a file both publish must be
# the same file (one build of the shared libraries).
stage_program() {
  local project=$1 assembly=$2 package=$3 stage="$work/root/$3" file
  local from="$work/publish/$project" lib="$work/root/$3/usr/lib/$3"
  [ -f "$from/$assembly.dll" ] || die "src/$project published no $assembly.dll"
  mkdir -p "$lib" "$stage/usr/bin"
  while IFS= read -r -d '' file; do
    file=${file#"$from"/}
    [ "$file" != "$assembly" ] || continue # the native apphost
    if [ -e "$lib/$file" ] && ! cmp -s "$from/$file" "$lib/$file"; then
      die "$file differs between the programs of $package" "publish them from one build: ./build.sh build, then package again"
    fi
    mkdir -p "$(dirname "$lib/$file")"
    cp "$from/$file" "$lib/$file"
  done < <(find "$from" -type f -print0)
  fill "$sources/launcher.in" "$stage/usr/bin/$assembly" PACKAGE "$package" PROGRAM "$assembly"
}

# fill TEMPLATE DESTINATION NAME VALUE...: replaces each @NAME@ by VALUE; fails on a leftover @WORD@.
fill() {
  local template=$1 destination=$2 text
  shift 2
  text=$(<"$template")
  while [ $# -ge 2 ]; do
    text=${text//"@$1@"/"$2"}
    shift 2
  done
  if grep -qE '@[A-Z_]+@' <<<"$text"; then
    die "$template: no value for $(grep -oE '@[A-Z_]+@' <<<"$text" | sort -u | tr '\n' ' ')"
  fi
  mkdir -p "$(dirname "$destination")"
  printf '%s\n' "$text" > "$destination"
}

# build_package PACKAGE NAME VALUE...: the unit, sysusers.d entry, conffiles, documentation,
# control files and maintainer scripts of PACKAGE around its staged programs, then the .deb.
# The NAME VALUE pairs fill the maintainer script templates (see deploy/debian/maintainer/).
build_package() {
  local package=$1 arch=$2 stage="$work/root/$1" from="$sources/$1" file deb
  [ "$arch" = all ] || stage="$work/root/$1-$arch"
  shift 2
  install -D -m 0644 "$from/$package.service" "$stage/usr/lib/systemd/system/$package.service"
  install -D -m 0644 "$from/$package.sysusers" "$stage/usr/lib/sysusers.d/$package.conf"
  install -D -m 0644 "$root/deploy/README.md" "$stage/usr/share/doc/$package/README.md"
  mkdir -p "$stage/DEBIAN"
  # Every file under deploy/debian/PACKAGE/etc is a conffile: dpkg keeps the administrator's edits.
  if [ -d "$from/etc" ]; then
    cp -R "$from/etc" "$stage/etc"
    (cd "$stage" && find etc -type f | LC_ALL=C sort | sed 's:^:/:') > "$stage/DEBIAN/conffiles"
  fi
  for file in postinst prerm postrm; do
    fill "$sources/maintainer/$file.in" "$stage/DEBIAN/$file" PACKAGE "$package" "$@"
  done
  # Everything root-owned (dpkg-deb --root-owner-group); files 0644, directories and programs 0755.
  find "$stage" -type d -exec chmod 0755 {} +
  find "$stage" -type f -exec chmod 0644 {} +
  chmod 0755 "$stage"/usr/bin/* "$stage"/DEBIAN/postinst "$stage"/DEBIAN/prerm "$stage"/DEBIAN/postrm
  fill "$from/control.in" "$stage/DEBIAN/control" VERSION "$version" ARCHITECTURE "$arch" \
    INSTALLED_SIZE "$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
  deb="$out/${package}_${version}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
  say "built $deb ($(du -h "$deb" | cut -f1))"
  echo "$deb"
}

IFS=, read -r -a agent_architectures <<<"$architectures"
for arch in "${agent_architectures[@]}"; do
  rid_of "$arch" >/dev/null
  publish_native DeviceAgent "$arch"
  stage_native DeviceAgent deviceagent "$arch"
  if [ -f "$root/src/Factory/Factory.csproj" ]; then
    publish_native Factory "$arch"
    stage_native Factory bringup "$arch"
  else
    say "src/Factory does not exist: the deviceagent package ships without bringup"
  fi
  build_package deviceagent "$arch" USER deviceagent CONFIG_DIR_MODE 0750 STATE_DIR_MODE 0750 \
    STATE_ON_PURGE "state.json .state.json.tmp" PROGRAM deviceagent
done

if [ "$endpoint" = yes ]; then
  publish ProvisioningEndpoint
  stage_program ProvisioningEndpoint provisioning-endpoint provisioning-endpoint
  build_package provisioning-endpoint all USER provisioning-endpoint CONFIG_DIR_MODE 0755 STATE_DIR_MODE 0700 \
    STATE_ON_PURGE all PROGRAM provisioning-endpoint
fi
