# Shared by deploy/up and deploy/test: packages, build, a private PostgreSQL.
# Sourced, not run.  Everything here is idempotent.

JX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian/Ubuntu package names the build and the service need.
JX_PACKAGES="gcc pkg-config meson ninja-build python3 libpq-dev libevent-dev libjansson-dev
libjwt-dev libsodium-dev libcriterion-dev libcsv-dev libxlsxwriter-dev postgresql curl"

jx_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
jx_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs what is missing (as root) or says exactly what to run (otherwise).
jx_ensure_packages() {
	local missing=() p
	for p in $JX_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages; run as root:" >&2
		echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	jx_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# jx_build DIR [meson options…]
jx_build() {
	local dir=$1
	shift
	if [ ! -f "$JX_ROOT/$dir/build.ninja" ]; then
		meson setup "$JX_ROOT/$dir" "$JX_ROOT" "$@" >/dev/null
	else
		meson configure "$JX_ROOT/$dir" "$@" >/dev/null
	fi
	ninja -C "$JX_ROOT/$dir" >/dev/null || ninja -C "$JX_ROOT/$dir"
}

jx_pg_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$d" ] || jx_die "PostgreSQL server binaries not found under /usr/lib/postgresql"
	echo "$d"
}

# Runs a PostgreSQL command as the cluster's owner: PostgreSQL refuses root.
jx_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# jx_pg_init DIR [fsync]: a cluster in DIR/data with its socket in DIR/run,
# listening on no TCP port.
jx_pg_init() {
	local dir=$1 fsync=${2:-on} bin
	bin=$(jx_pg_bin)
	mkdir -p "$dir/run"
	[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		jx_as_pg "$bin/initdb" -A trust -U postgres -E UTF8 --locale=C.UTF-8 -N -D "$dir/data" >/dev/null
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir/run'
max_connections = 200
shared_buffers = 256MB
fsync = $fsync
synchronous_commit = on
full_page_writes = on
timezone = 'Asia/Shanghai'
log_min_messages = warning
CONF
	fi
}

jx_pg_start() {
	local dir=$1 bin
	bin=$(jx_pg_bin)
	if ! jx_as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		jx_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start >/dev/null
	fi
}

jx_pg_stop() {
	local dir=$1 mode=${2:-fast} bin
	bin=$(jx_pg_bin)
	if jx_as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		jx_as_pg "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
	fi
}

# jx_pg_createdb DIR NAME: the database, owned by the superuser.
jx_pg_createdb() {
	local dir=$1 name=$2
	if ! psql -h "$dir/run" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
		psql -h "$dir/run" -U postgres -d postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
	fi
}

# A secret of 48 random bytes, base64: well over the 32 bytes HS256 needs.
jx_secret_file() {
	local f=$1
	if [ ! -s "$f" ]; then
		mkdir -p "$(dirname "$f")"
		(umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$f")
	fi
}

# A free loopback TCP port (bound once by the kernel, then released).
jx_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# jx_wait_url URL [SECONDS]: true once URL answers 2xx (polled every 0.1 s,
# 10 s at most by default), false after that.
jx_wait_url() {
	local url=$1 tries=$((${2:-10} * 10))
	while [ "$tries" -gt 0 ]; do
		curl -fs "$url" >/dev/null 2>&1 && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# clang and its libFuzzer runtime, for the fuzz targets
jx_ensure_clang() {
	local major
	command -v clang >/dev/null || jx_ensure_packages clang
	major=$(clang -dumpversion | cut -d. -f1)
	ls /usr/lib/llvm-"$major"/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
		jx_ensure_packages "libclang-rt-$major-dev"
}

# The libFuzzer targets of tests/fuzz (SECURITY.md H7, S2, J6) in build-fuzz:
# clang, ASan + UBSan.
jx_build_fuzz() {
	if [ ! -f "$JX_ROOT/build-fuzz/build.ninja" ]; then
		CC=clang meson setup "$JX_ROOT/build-fuzz" "$JX_ROOT" -Dfuzz=true \
			-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	fi
	ninja -C "$JX_ROOT/build-fuzz" >/dev/null || ninja -C "$JX_ROOT/build-fuzz"
}
