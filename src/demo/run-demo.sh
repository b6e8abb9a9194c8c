#!/usr/bin/env bash
# Starts the Keycloak distribution unpacked by the build, with the extension and the demo realm,
# and stops it when Maven stops. Run through the README's demo command: ./mvnw -Pdemo package
# (with -Ddemo.fresh: from a fresh database, so the demo realm is imported anew).
set -euo pipefail
home="$1"
jar="$2"
fresh="${3:-false}"
port="${DEMO_PORT:-8080}"
management_port="${DEMO_MANAGEMENT_PORT:-9000}"
realm_file="$(dirname "$0")/sms-demo-realm.json"

# Who listens on a port, where the system can tell.
listener() {
    command -v ss >/dev/null 2>&1 && ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 || true
}
for taken in "$port" "$management_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
        who="$(listener "$taken")"
        echo "Port $taken is already in use${who:+ ($who)}: is the demo, or another Keycloak, still running? Stop it first." >&2
        exit 1
    fi
done

rm -f "$home"/providers/*.jar
cp "$jar" "$home/providers/keycloak-sms-authenticator.jar"
mkdir -p "$home/data/import"
cp "$realm_file" "$home/data/import/"
if [ "$fresh" = "true" ]; then
    rm -rf "$home/data/h2"
    echo "Starting from a fresh database: the demo realm is imported anew."
fi

cat <<INFO

  keycloak-sms-authenticator demo
  -------------------------------
  Log in:        http://localhost:$port/realms/sms-demo/account   (alice / alice, or bob / bob)
  Admin console: http://localhost:$port/admin/master/console/     (admin / admin)
  SMS settings:  Admin console > sms-demo > Authentication > Required actions > Enroll SMS number
  Phone sign-in: once alice has a number, in a new private window:
                 http://localhost:$port/realms/sms-demo/protocol/openid-connect/auth?client_id=phone-demo&response_type=code&scope=openid&redirect_uri=http://localhost:$port/realms/sms-demo

  The demo realm sends codes through the 'log' gateway: each SMS, code included, appears in this
  console in a line starting with "DEVELOPMENT ONLY". Stop with Ctrl+C; start again from a fresh
  realm with ./mvnw -Pdemo package -Ddemo.fresh

INFO

export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
maven=$PPID
# Maven's end closes this script's output: a write must then fail, not kill the script before it stops Keycloak
trap '' PIPE
"$home/bin/kc.sh" start-dev --import-realm --http-port="$port" --http-management-port="$management_port" &
keycloak=$!
stop() {
    kill -TERM "$keycloak" 2>/dev/null || true
    wait "$keycloak" 2>/dev/null || true
}
trap 'stop; exit 143' TERM INT HUP
# Maven may be stopped without passing a signal on (SIGTERM to mvnw, an IDE's stop button): stop with it.
while kill -0 "$keycloak" 2>/dev/null; do
    if ! kill -0 "$maven" 2>/dev/null; then
        echo "Maven has stopped: stopping Keycloak." 2>/dev/null || true
        stop
        exit 143
    fi
    sleep 1
done
wait "$keycloak"
