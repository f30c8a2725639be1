#!/usr/bin/env bash
# Builds what is needed, starts the local Kafka broker (no Docker) and every app of this repository, prints
# their URLs and stops everything on Ctrl-C.
#
#   deploy/local/run.sh
#
# Environment: KAFKA_PORT (9092), KAFKA_DATA_DIR (target/local-kafka, kept across runs), SKIP_BUILD=1,
# REFERENCE_ADMIN_PASSWORD (order-app's `admin` user for reference-data writes; a random one is made and printed
# when unset: the packaged apps run in the prod profile, which has no default password),
# BILLING_ADMIN_PASSWORD (billing-app's `admin` user, role billing-admin: dashboard /admin and admin API; random and
# printed when unset, likewise),
# IMPORT_INSTANCES (1): import-app processes in one importer group (pattern 6); the first on 8081, the others on
# 8091, 8092, ... each with its own eventkit.instance-id and without the in-memory contacts view.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

kafka_port=${KAFKA_PORT:-9092}
data_dir=${KAFKA_DATA_DIR:-$root/target/local-kafka}
logs=$root/target/local-logs
mkdir -p "$logs"

# app directory -> HTTP port; only the apps that exist in this checkout are built and started
declare -A ports=([import-app]=8081 [notify-app]=8082 [billing-app]=8083 [order-app]=8084)
apps=()
for app in import-app notify-app billing-app order-app; do
  [[ -f $app/pom.xml ]] && apps+=("$app")
done

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  modules=$(IFS=,; echo "deploy${apps[*]:+,${apps[*]}}")
  echo "Building $modules ..."
  ./mvnw -B -q -DskipTests install -pl "$modules" -am
fi

admin_password=${REFERENCE_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
export REFERENCE_ADMIN_PASSWORD=$admin_password
billing_admin_password=${BILLING_ADMIN_PASSWORD:-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}
export BILLING_ADMIN_PASSWORD=$billing_admin_password

pids=()
stopping=0
stop_all() {
  stopping=1
  # a second Ctrl-C must not abort the cleanup half-way and orphan the broker
  trap '' INT TERM
  trap - EXIT
  echo
  echo "Stopping ..."
  # apps first, the broker last, so apps can leave their groups cleanly
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped."
}
trap stop_all INT TERM EXIT

wait_for() { # wait_for <seconds> <description> <command...>
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "Timed out waiting for $what (logs in $logs)"; exit 1; fi
    sleep 0.5
  done
}

# one line per process: name, app directory, port, extra environment
instances=${IMPORT_INSTANCES:-1}
processes=()
for app in "${apps[@]}"; do
  if [[ $app == import-app ]]; then
    for ((n = 1; n <= instances; n++)); do
      # a distinct stable instance id per process: its transactional ids and static group membership
      port=$((n == 1 ? 8081 : 8089 + n)) env="EVENTKIT_INSTANCE_ID=local-$n"
      ((n > 1)) && env+=" IMPORT_CONTACTS_VIEW_ENABLED=false"
      name=import-app; ((instances > 1)) && name=import-app-$n
      processes+=("$name $app $port $env")
    done
  else
    processes+=("$app $app ${ports[$app]}")
  fi
done
for p in "${processes[@]}" "kafka - $kafka_port"; do
  read -r _ _ port _ <<<"$p"
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "Port $port is in use: stop what runs there first"; exit 1; fi
done

echo "Starting Kafka (KRaft, single node) on 127.0.0.1:$kafka_port, data in $data_dir"
java -jar deploy/target/kafka-launcher.jar --data-dir "$data_dir" --port "$kafka_port" >"$logs/kafka.log" 2>&1 &
pids+=($!)
wait_for 90 "Kafka" grep -q "KAFKA READY" "$logs/kafka.log"

for p in "${processes[@]}"; do
  read -r name app port env <<<"$p"
  echo "Starting $name on http://localhost:$port"
  # shellcheck disable=SC2086 # env is a list of NAME=value words
  env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port QUARKUS_HTTP_PORT=$port $env \
    java -jar "$app/target/quarkus-app/quarkus-run.jar" >"$logs/$name.log" 2>&1 &
  pids+=($!)
done
for p in "${processes[@]}"; do
  read -r name _ port _ <<<"$p"
  wait_for 120 "$name" curl -fsS "http://localhost:$port/q/health/ready"
done

echo
echo "Kafka       127.0.0.1:$kafka_port"
for p in "${processes[@]}"; do
  read -r name _ port _ <<<"$p"
  printf '%-11s http://localhost:%s/\n' "$name" "$port"
done
[[ -f order-app/pom.xml ]] && echo "Admin       admin / $admin_password (order-app reference data, HTTP Basic)"
[[ -f billing-app/pom.xml ]] && echo "Billing     http://localhost:8083/admin  admin / $billing_admin_password (dashboard; HTTP Basic for /admin/**)"
echo "Logs        $logs"
echo "Ready. Ctrl-C stops everything."
wait -n "${pids[@]}" || true
((stopping)) || echo "A process exited unexpectedly; see $logs"
