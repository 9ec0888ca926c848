#!/bin/sh
# Runs the broker from the distribution archive on Linux aarch64, emulated by qemu-user on an
# x86-64 Debian 12 machine (docs/operations.md, "Platforms"): Debian's OpenJDK 17 for arm64 and
# the C and C++ libraries it and RocksDB need are downloaded into a temporary directory (nothing
# is installed for arm64), the archive is unpacked, the broker started with its shipped config,
# and it must load the aarch64 builds of RocksDB, Netty epoll, jffi and BoringSSL (a TLS listener
# with tls_provider = openssl, certificates made here with openssl), take QoS 1 messages from
# mosquitto_pub (plain and over that TLS listener) to mosquitto_sub, keep running across SIGHUP
# and exit 0 on SIGTERM.
# Slow (one to three minutes: everything is emulated, so the connect timeout is raised to 60 s)
# and not part of mvn verify.
#
#   packaging/aarch64-check.sh packaging/target/cairn-VERSION.tar.gz
#
# Needs: qemu-user-static (apt-get install qemu-user-static), curl, mosquitto-clients, and apt's
# package lists (the arm64 packages are fetched in the versions apt lists for this machine).
set -eu
archive=$(readlink -f "${1:?usage: $0 packaging/target/cairn-VERSION.tar.gz}")
port=${CAIRN_CHECK_PORT:-18997}
work=$(mktemp -d)
trap 'if [ -n "${pid:-}" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
fail() { echo "aarch64-check: $*" >&2; [ -f "$work/broker.log" ] && cat "$work/broker.log" >&2; exit 1; }

command -v qemu-aarch64-static >/dev/null || fail "qemu-aarch64-static is missing (apt-get install qemu-user-static)"

# The arm64 twin of each package apt knows for this machine, from the archive that serves it.
mkdir -p "$work/debs" "$work/root"
for package in libc6 libgcc-s1 libstdc++6 zlib1g openjdk-17-jre-headless; do
    file=$(apt-cache show "$package" | sed -n 's/^Filename: //p' | head -1 | sed 's/_amd64\.deb$/_arm64.deb/')
    case $file in
        pool/updates/*) mirror=http://deb.debian.org/debian-security ;;
        *) mirror=http://deb.debian.org/debian ;;
    esac
    curl -sSfL -o "$work/debs/$(basename "$file")" "$mirror/$file" || fail "cannot download $mirror/$file"
done
for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
done
mkdir -p "$work/jdk/bin"
cat >"$work/jdk/bin/java" <<EOF
#!/bin/sh
QEMU_LD_PREFIX=$work/root exec qemu-aarch64-static $work/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java "\$@"
EOF
chmod +x "$work/jdk/bin/java"

# A CA and a server certificate for localhost (EC P-256, PKCS#8) for the openssl TLS listener.
pki=$work/pki
mkdir -p "$pki"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/ca.key" 2>/dev/null
openssl req -x509 -new -key "$pki/ca.key" -subj /CN=aarch64-check-ca -days 1 -out "$pki/ca.pem"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/server.key" 2>/dev/null
openssl req -new -key "$pki/server.key" -subj /CN=localhost -out "$pki/server.csr"
printf 'subjectAltName=DNS:localhost\n' >"$pki/server.ext"
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 1 \
    -extfile "$pki/server.ext" -out "$pki/server.pem" 2>/dev/null
tls_port=$((port + 1))

tar -xzf "$archive" -C "$work"
home=$(echo "$work"/cairn-*)
mkdir -p "$work/tmp"
cd "$home"
JAVA_HOME=$work/jdk JAVA_OPTS=-Djava.io.tmpdir=$work/tmp \
    bin/cairn --config conf/cairn.conf --data-dir "$work/data" --port "$port" --set connect_timeout_seconds=60 \
    --set listener.check.type=tls --set listener.check.port="$tls_port" \
    --set listener.check.certfile="$pki/server.pem" --set listener.check.keyfile="$pki/server.key" \
    --set listener.check.tls_provider=openssl --set listener.check.handshake_timeout_seconds=60 \
    >"$work/broker.log" 2>&1 &
pid=$!
waited=0
until grep -q "Cairn listening on" "$work/broker.log"; do
    kill -0 "$pid" 2>/dev/null || fail "the broker exited"
    [ "$waited" -lt 600 ] || fail "the broker did not listen within 300 s"
    sleep 0.5
    waited=$((waited + 1))
done
# The names the libraries are loaded under (each is copied to a temporary file first).
for library in 'rocksdbjni.*linux-aarch64' 'netty_transport_native_epoll_aarch_64' 'jffi' 'netty_tcnative_linux_aarch_64'; do
    grep -q "$library" "/proc/$pid/maps" || fail "no library matching $library is loaded"
done

timeout 180 mosquitto_sub -p "$port" -t 'check/#' -q 1 -C 3 -i aarch64-check >"$work/received" &
sub=$!
sleep 3 # mosquitto_sub has no "subscribed" signal; the QoS 1 publish below waits for its PUBACK
mosquitto_pub -p "$port" -t check/one -q 1 -m before-reload || fail "publish before the reload failed"
kill -HUP "$pid"
waited=0
until grep -q "reload done" "$work/broker.log"; do
    [ "$waited" -lt 120 ] || fail "no 'reload done' within 60 s of SIGHUP"
    sleep 0.5
    waited=$((waited + 1))
done
kill -0 "$pid" || fail "SIGHUP stopped the broker"
mosquitto_pub -p "$port" -t check/two -q 1 -m after-reload || fail "publish after the reload failed"
mosquitto_pub -h localhost -p "$tls_port" --cafile "$pki/ca.pem" -t check/tls -q 1 -m over-openssl ||
    fail "publish over the openssl TLS listener failed"
wait "$sub" || fail "mosquitto_sub did not get all three messages"
[ "$(cat "$work/received")" = "$(printf 'before-reload\nafter-reload\nover-openssl')" ] ||
    fail "received: $(cat "$work/received")"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || fail "exit $status after SIGTERM"
echo "aarch64-check: OK ($(QEMU_LD_PREFIX=$work/root qemu-aarch64-static "$work/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java" -version 2>&1 | head -1), emulated)"
