#!/usr/bin/env bash
# Starts the Keycloak distribution unpacked by the build, with the extension and the demo realm.
# Run through the README's demo command: ./mvnw -Pdemo package
set -euo pipefail
home="$1"
jar="$2"
realm_file="$(dirname "$0")/sms-demo-realm.json"

rm -f "$home"/providers/*.jar
cp "$jar" "$home/providers/keycloak-sms-authenticator.jar"
mkdir -p "$home/data/import"
cp "$realm_file" "$home/data/import/"

cat <<INFO

  keycloak-sms-authenticator demo
  -------------------------------
  Log in:        http://localhost:8080/realms/sms-demo/account   (alice / alice, or bob / bob)
  Admin console: http://localhost:8080/admin/master/console/     (admin / admin)
  SMS settings:  Admin console > sms-demo > Authentication > Required actions > Enroll SMS number
  Phone sign-in: once alice has a number, in a new private window:
                 http://localhost:8080/realms/sms-demo/protocol/openid-connect/auth?client_id=phone-demo&response_type=code&scope=openid&redirect_uri=http://localhost:8080/realms/sms-demo

  The demo realm sends codes through the 'log' gateway: each SMS, code included, appears in this
  console in a line starting with "DEVELOPMENT ONLY". Stop with Ctrl+C.

INFO

export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"
exec "$home/bin/kc.sh" start-dev --import-realm --http-port=8080
