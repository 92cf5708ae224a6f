#!/usr/bin/env bash
# Builds the Dockerfile for real and runs the image, on a machine with no Docker engine and no access to Docker Hub.
#
# Base images are made from Debian packages (debootstrap of bookworm with openjdk-17-jdk-headless for the build
# stage and openjdk-17-jre-headless for the runtime), imported with buildah and passed as the Dockerfile's
# BUILD_IMAGE / RUNTIME_IMAGE build arguments; `buildah bud` builds the image (its build stage fetches Maven and the
# dependencies from Maven Central); then the image is checked and run:
#   1. its configuration: non-root user, /app working directory with application.yaml and routes/, port 8080,
#      HEALTHCHECK, entrypoint;
#   2. production mode without settings exits non-zero at once, naming every missing environment variable;
#   3. the Dockerfile's `local` target (local mode from the test classpath) with an extra route file mounted into
#      routes/: the image's own HEALTHCHECK command, run inside the container, sees /actuator/health/liveness UP;
#      readiness is UP, and with the local management token shows kafka and salesforce UP; /actuator/prometheus
#      answers; the mounted route ran.
#
# Needs root, apt (it installs buildah and debootstrap when missing) and network access to the Debian mirror and Maven
# Central. Not part of `./mvnw verify` or CI. Everything it makes lives under $WORK_DIR, with its own container
# storage, and is removed on exit (KEEP=1 keeps it; a kept directory's base images are reused by the next run).
#
#   container/verify.sh
#   KEEP=1 DEBIAN_MIRROR=http://deb.debian.org/debian container/verify.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK_DIR=${WORK_DIR:-/var/tmp/dialer-bridge-verify}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
KEEP=${KEEP:-0}
IMAGE=localhost/dialer-bridge:verify
LOCAL_IMAGE=localhost/dialer-bridge:verify-local
BUILD_BASE=localhost/dialer-bridge-verify/bookworm-jdk17:latest
RUNTIME_BASE=localhost/dialer-bridge-verify/bookworm-jre17:latest
STARTUP_SECONDS=${STARTUP_SECONDS:-180}

# Own container storage, so nothing here touches (or is touched by) other images on the machine.
export CONTAINERS_STORAGE_CONF=$WORK_DIR/storage.conf
# Where the OCI runtime (crun) cannot start containers (see docs/container.md), chroot isolation still can.
export BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot}

RESULTS=()
FAILED=0
SERVER_PID=

say() { printf '\n==> %s\n' "$*"; }
pass() { RESULTS+=("PASS  $*"); printf '    PASS  %s\n' "$*"; }
fail() { RESULTS+=("FAIL  $*"); printf '    FAIL  %s\n' "$*"; FAILED=1; }
check() { # check "what is checked" command [args...]
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
contains() { [[ $1 == *"$2"* ]]; }
lacks() { [[ $1 != *"$2"* ]]; }

descendants() { # every process below the given one, deepest first
  local child
  for child in $(pgrep -P "$1" || true); do
    descendants "$child"
    echo "$child"
  done
}

stop_bridge() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    # The bridge's JVM runs below `buildah run`: stop it and its parents by their own process ids.
    local process
    for process in $(descendants "$SERVER_PID") "$SERVER_PID"; do kill -TERM "$process" 2>/dev/null || true; done
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

cleanup() {
  local status=$?
  stop_bridge
  if [[ -f $CONTAINERS_STORAGE_CONF ]]; then
    buildah rm --all >/dev/null 2>&1 || true
    [[ $KEEP == 1 ]] || buildah rmi --all --force >/dev/null 2>&1 || true
  fi
  if [[ $KEEP == 1 ]]; then
    echo "Kept $WORK_DIR (KEEP=1)."
  elif [[ -d $WORK_DIR ]]; then
    # Overlay layers may still be mounted: unmount whatever lies under the work directory, then remove it.
    findmnt -rn -o TARGET | grep -F "$WORK_DIR/" | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$WORK_DIR"
  fi
  exit "$status"
}
trap cleanup EXIT
trap "exit 130" INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---------------------------------------------------------------------------------------------------------------
say "Preflight"
[[ $(id -u) == 0 ]] || { echo "Run as root: debootstrap and buildah's storage need it." >&2; exit 2; }
missing=()
for tool in buildah debootstrap python3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
  echo "Installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
mkdir -p "$WORK_DIR"
cat > "$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK_DIR/storage"
runroot = "$WORK_DIR/run"
EOF
echo "    $(buildah --version); debootstrap $(debootstrap --version | awk '{print $2}'); isolation $BUILDAH_ISOLATION"
# Leftovers of an interrupted KEEP=1 run: working containers go, base images stay.
buildah rm --all >/dev/null 2>&1 || true

# ---------------------------------------------------------------------------------------------------------------
base_image() { # base_image NAME PACKAGE: a minimal bookworm with one OpenJDK package, as a local image
  local name=$1 package=$2
  local rootfs=$WORK_DIR/rootfs-$package container
  if buildah inspect --type image "$name" >/dev/null 2>&1; then
    echo "    $name: kept from an earlier run"
    return
  fi
  echo "    debootstrap --variant=minbase --include=$package $SUITE ($DEBIAN_MIRROR)"
  rm -rf "$rootfs"
  if ! debootstrap --variant=minbase --include="$package" "$SUITE" "$rootfs" "$DEBIAN_MIRROR" \
      > "$WORK_DIR/debootstrap-$package.log" 2>&1; then
    tail -20 "$WORK_DIR/debootstrap-$package.log"
    return 1
  fi
  if [[ $package == *-jdk-* ]] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    # The host trusts certificate authorities of its own (here: the sandbox's TLS-inspecting egress proxy, without
    # which Maven Central's certificate does not verify). The build stage downloads through the same network, so it
    # must trust them too; update-ca-certificates also rebuilds Java's cacerts (ca-certificates-java's hook).
    echo "    adding the host's own CA certificates to the build image: $(ls /usr/local/share/ca-certificates/*.crt | xargs -n1 basename | tr '\n' ' ')"
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    mount -t proc proc "$rootfs/proc"
    chroot "$rootfs" update-ca-certificates > "$WORK_DIR/update-ca-certificates.log" 2>&1 || { umount "$rootfs/proc"; cat "$WORK_DIR/update-ca-certificates.log"; return 1; }
    umount "$rootfs/proc"
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/tmp/*
  tar -C "$rootfs" -cf "$rootfs.tar" .
  rm -rf "$rootfs"
  container=$(buildah from scratch)
  buildah add "$container" "$rootfs.tar" / >/dev/null
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
    --cmd /bin/bash --label "built-by=dialer-bridge container/verify.sh" "$container"
  buildah commit --quiet --rm "$container" "$name" >/dev/null
  rm -f "$rootfs.tar"
  container=$(buildah from --pull=never "$name")
  echo "    $name: $(buildah run "$container" -- java -version 2>&1 | head -1)"
  buildah rm "$container" >/dev/null
}

say "Base images from Debian packages"
base_image "$BUILD_BASE" openjdk-17-jdk-headless
base_image "$RUNTIME_BASE" openjdk-17-jre-headless

# ---------------------------------------------------------------------------------------------------------------
say "buildah bud (its build stage runs ./mvnw package against Maven Central)"
build_started=$(date +%s)
if buildah bud --format docker --pull=never --layers=false \
    --build-arg BUILD_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
    -f "$REPO/Dockerfile" -t "$IMAGE" "$REPO" > "$WORK_DIR/build.log" 2>&1; then
  pass "image built with buildah bud in $(($(date +%s) - build_started)) s"
else
  tail -40 "$WORK_DIR/build.log"
  fail "buildah bud (end of its log above)"
  exit 1
fi
if buildah bud --format docker --pull=never --layers=false --target local \
    --build-arg BUILD_IMAGE="$BUILD_BASE" --build-arg RUNTIME_IMAGE="$RUNTIME_BASE" \
    -f "$REPO/Dockerfile" -t "$LOCAL_IMAGE" "$REPO" > "$WORK_DIR/build-local.log" 2>&1; then
  pass "local target built with buildah bud --target local"
else
  tail -40 "$WORK_DIR/build-local.log"
  fail "buildah bud --target local (end of its log above)"
  exit 1
fi

# ---------------------------------------------------------------------------------------------------------------
say "Image configuration"
config() { buildah inspect --type image --format "$1" "$IMAGE"; }
image_size=$(buildah images --noheading --format '{{.Size}}' "$IMAGE")
runtime_size=$(buildah images --noheading --format '{{.Size}}' "$RUNTIME_BASE")
echo "    size: $image_size (of which the runtime base image: $runtime_size)"
check "runs as user 10001:10001" test "$(config '{{.Docker.Config.User}}')" = "10001:10001"
check "working directory /app" test "$(config '{{.Docker.Config.WorkingDir}}')" = "/app"
# buildah 1.28's --format templates have no json function: list with range.
check "exposes 8080/tcp" contains "$(config '{{range $port, $_ := .Docker.Config.ExposedPorts}}{{$port}} {{end}}')" '8080/tcp'
check "HEALTHCHECK runs the liveness probe" contains "$(config '{{range .Docker.Config.Healthcheck.Test}}{{.}} {{end}}')" 'LivenessProbe'
check "entrypoint runs /app/dialer-bridge.jar" contains "$(config '{{range .Docker.Config.Entrypoint}}{{.}} {{end}}')" '-jar /app/dialer-bridge.jar'

RUN_CONTAINER=$(buildah from --pull=never "$IMAGE")
mapfile -t ENTRYPOINT < <(config '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}' | sed '/^$/d')
# The HEALTHCHECK's test is ["CMD", command...]: drop the "CMD".
mapfile -t HEALTHCHECK_CMD < <(config '{{range .Docker.Config.Healthcheck.Test}}{{println .}}{{end}}' | sed '/^$/d' | tail -n +2)
listing=$(buildah run "$RUN_CONTAINER" -- ls -ln /app /app/routes)
check "/app holds dialer-bridge.jar, application.yaml, probe/ and routes/" bash -c \
  '[[ $1 == *dialer-bridge.jar* && $1 == *application.yaml* && $1 == *probe* && $1 == *routes* ]]' _ "$listing"
check "the bridge's user cannot write to /app" bash -c '! buildah run "$1" -- touch /app/written 2>/dev/null' _ "$RUN_CONTAINER"

# ---------------------------------------------------------------------------------------------------------------
say "Production mode without settings (no profile; the container's environment is the image's alone)"
set +e
output=$(timeout 120 buildah run "$RUN_CONTAINER" -- "${ENTRYPOINT[@]}" --server.port="$(free_port)" 2>&1)
status=$?
set -e
sed -n '/Description:/,/^Action:/p' <<< "$output" | sed 's/^/    | /'
check "exits by itself, non-zero (exit $status)" test "$status" -ne 0 -a "$status" -ne 124
for variable in SALESFORCE_CLIENT_ID SALESFORCE_CLIENT_SECRET SALESFORCE_USERNAME SALESFORCE_PASSWORD \
    KAFKA_BOOTSTRAP_SERVERS DIALER_API_KEYS; do
  check "names $variable" contains "$output" "$variable ("
done
check "stops before Camel starts" lacks "$output" "Apache Camel"

# ---------------------------------------------------------------------------------------------------------------
say "Local mode (the local target) with a route file mounted into /app/routes"
LOCAL_CONTAINER=$(buildah from --pull=never "$LOCAL_IMAGE")
mapfile -t LOCAL_ENTRYPOINT < <(buildah inspect --type image --format '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}' "$LOCAL_IMAGE" | sed '/^$/d')
# chroot isolation shares the host's network: free ports keep clear of anything else running here.
PORT=$(free_port)
EMULATOR_PORT=$(free_port)
KAFKA_PORT=$(free_port)
mkdir -p "$WORK_DIR/mounted"
cat > "$WORK_DIR/mounted/verify-mounted-route.camel.yaml" <<'EOF'
- route:
    id: verify-mounted-route
    from:
      uri: timer:verify-mounted-route
      parameters:
        repeatCount: "1"
      steps:
        - log:
            message: "verify-mounted-route ran"
EOF
buildah run --env SERVER_PORT="$PORT" \
  -v "$WORK_DIR/mounted/verify-mounted-route.camel.yaml:/app/routes/verify-mounted-route.camel.yaml:ro" \
  "$LOCAL_CONTAINER" -- "${LOCAL_ENTRYPOINT[@]}" \
  --emulator.port="$EMULATOR_PORT" --embedded-kafka.port="$KAFKA_PORT" > "$WORK_DIR/local.log" 2>&1 &
SERVER_PID=$!
echo "    started (buildah run, pid $SERVER_PID) on port $PORT; waiting up to $STARTUP_SECONDS s for liveness"

inside() { buildah run --env SERVER_PORT="$PORT" "$LOCAL_CONTAINER" -- "$@"; }
deadline=$(($(date +%s) + STARTUP_SECONDS))
live=1
started=$(date +%s)
while (($(date +%s) < deadline)) && kill -0 "$SERVER_PID" 2>/dev/null; do
  # The image's own HEALTHCHECK command, run inside the container.
  if inside "${HEALTHCHECK_CMD[@]}" > "$WORK_DIR/healthcheck.out" 2>&1; then
    live=0
    break
  fi
  sleep 2
done
sed 's/^/    | /' "$WORK_DIR/healthcheck.out"
check "the HEALTHCHECK command, inside the container: liveness UP (after $(($(date +%s) - started)) s)" test "$live" -eq 0
if ((live == 0)); then
  readiness=$(inside java -cp /app/probe io.dialerbridge.operations.LivenessProbe \
    "http://127.0.0.1:$PORT/actuator/health/readiness" 2>&1 || true)
  sed 's/^/    | /' <<< "$readiness"
  check "readiness UP" contains "$readiness" '-> 200 {"status":"UP"'
  # Anonymous callers (the probe) see the status alone; the components show with the local management token.
  # chroot isolation shares the host's network, so the host's curl reaches the same loopback port.
  components=$(curl -s -H 'Authorization: Bearer local-operator-token' \
    "http://127.0.0.1:$PORT/actuator/health/readiness" || true)
  check "readiness includes kafka UP (management token)" contains "$components" '"kafka":{"status":"UP"'
  check "readiness includes salesforce UP (management token)" contains "$components" '"salesforce":{"status":"UP"'
  # chroot isolation shares the host's network, so the host's curl reaches the same loopback port.
  check "/actuator/prometheus answers 200" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/actuator/prometheus")" = 200
  check "the mounted route file was loaded and ran" grep -q 'verify-mounted-route ran' "$WORK_DIR/local.log"
else
  tail -40 "$WORK_DIR/local.log" | sed 's/^/    | /'
fi

say "Stopping the bridge"
stop_bridge
check "nothing listens on port $PORT any more" bash -c '! (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null' _ "$PORT"

# ---------------------------------------------------------------------------------------------------------------
say "Result ($(date -u +%Y-%m-%dT%H:%MZ), $IMAGE, $image_size)"
printf '  %s\n' "${RESULTS[@]}"
if ((FAILED)); then
  echo "container verification FAILED"
  exit 1
fi
echo "container verification passed"
