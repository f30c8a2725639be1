#!/usr/bin/env bash
# Builds what is needed, starts the local Kafka broker and PostgreSQL (no Docker) and every app of this repository,
# prints their URLs and stops everything on Ctrl-C.
#
#   deploy/local/run.sh
#
# Environment: KAFKA_PORT (9092), KAFKA_DATA_DIR (target/local-kafka, kept across runs), SKIP_BUILD=1,
# POSTGRES_PORT (5432), POSTGRES_DATA_DIR (target/local-postgres, kept across runs; order-app's read model, database
# "orders", user "postgres"), POSTGRES_PASSWORD (default: generated on the first run and kept in
# $POSTGRES_DATA_DIR.password, because the cluster keeps the password it was initialised with; set it only before
# the first run or with a new data dir). As root, PostgreSQL runs as the system user eda-postgres (created if missing).
# the shop's users, one realm for every app (event-kit META-INF/microprofile-config.properties): EDA_ADMIN_PASSWORD
# (admin: every admin role, crm, importer), EDA_IMPORTER_PASSWORD (importer), EDA_CRM_PASSWORD (crm),
# EDA_CUSTOMER_PASSWORD (alice@example.com, customer), and the keys EDA_SESSION_KEY (form-login cookie encryption,
# one for every app so one login covers the progress page and its import-app calls) and EDA_CHANNEL_TOKEN_KEY
# (signed progress channels), each base64 of 32 random bytes; every one of them is generated and printed when unset:
# the packaged apps run in the prod profile, which has no default password or key,
# IMPORT_INSTANCES (1): import-app processes in one importer group (pattern 6); the first on 8081, the others on
# 8091, 8092, ... each with its own eventkit.instance-id.
# Each app's management interface (health, metrics) listens on its API port + 1000: 9081-9084 (9091, ... for more
# import-app processes).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

kafka_port=${KAFKA_PORT:-9092}
data_dir=${KAFKA_DATA_DIR:-$root/target/local-kafka}
pg_port=${POSTGRES_PORT:-5432}
pg_data_dir=${POSTGRES_DATA_DIR:-$root/target/local-postgres}
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

random_password() { head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }
random_key() { head -c 32 /dev/urandom | base64; } # HS256 and cookie encryption: 256 bits
export EDA_ADMIN_PASSWORD=${EDA_ADMIN_PASSWORD:-$(random_password)}
export EDA_IMPORTER_PASSWORD=${EDA_IMPORTER_PASSWORD:-$(random_password)}
export EDA_CRM_PASSWORD=${EDA_CRM_PASSWORD:-$(random_password)}
export EDA_CUSTOMER_PASSWORD=${EDA_CUSTOMER_PASSWORD:-$(random_password)}
export EDA_SESSION_KEY=${EDA_SESSION_KEY:-$(random_key)}
export EDA_CHANNEL_TOKEN_KEY=${EDA_CHANNEL_TOKEN_KEY:-$(random_key)}

pids=()
infra=0 # the first $infra pids are Kafka and PostgreSQL
stopping=0
stop_all() {
  stopping=1
  # a second Ctrl-C must not abort the cleanup half-way and orphan the broker
  trap '' INT TERM
  trap - EXIT
  echo
  echo "Stopping ..."
  # apps first, and only once they are gone PostgreSQL and the broker: apps leave their groups and finish their
  # last transactions cleanly
  for ((i = ${#pids[@]} - 1; i >= infra; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for ((i = ${#pids[@]} - 1; i >= infra; i--)); do wait "${pids[i]}" 2>/dev/null || true; done
  for ((i = infra - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]:0:infra}"; do wait "$pid" 2>/dev/null || true; done
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

# health sits on the management interface (API port + 1000: 9081 for 8081); an app without one answers on its API port
ready() { curl -fsS "http://localhost:$(($1 + 1000))/q/health/ready" || curl -fsS "http://localhost:$1/q/health/ready"; }

# one line per process: name, app directory, port, extra environment
instances=${IMPORT_INSTANCES:-1}
processes=()
for app in "${apps[@]}"; do
  if [[ $app == import-app ]]; then
    for ((n = 1; n <= instances; n++)); do
      # a distinct stable instance id per process: its transactional ids and static group membership
      port=$((n == 1 ? 8081 : 8089 + n)) env="EVENTKIT_INSTANCE_ID=local-$n"
      name=import-app; ((instances > 1)) && name=import-app-$n
      processes+=("$name $app $port $env")
    done
  else
    processes+=("$app $app ${ports[$app]}")
  fi
done
with_postgres=0; [[ -f order-app/pom.xml ]] && with_postgres=1 # order-app's read model
infrastructure=("kafka - $kafka_port"); ((with_postgres)) && infrastructure+=("postgres - $pg_port")
for p in "${processes[@]}" "${infrastructure[@]}"; do
  read -r name _ port _ <<<"$p"
  busy=$port; [[ $name != kafka && $name != postgres ]] && busy+=" $((port + 1000))"
  for q in $busy; do
    if (echo >"/dev/tcp/127.0.0.1/$q") 2>/dev/null; then echo "Port $q is in use: stop what runs there first"; exit 1; fi
  done
done

echo "Starting Kafka (KRaft, single node) on 127.0.0.1:$kafka_port, data in $data_dir"
java -jar deploy/target/kafka-launcher.jar --data-dir "$data_dir" --port "$kafka_port" >"$logs/kafka.log" 2>&1 &
pids+=($!)
if ((with_postgres)); then
  echo "Starting PostgreSQL 17.5 on 127.0.0.1:$pg_port, data in $pg_data_dir"
  # its own JVM supervises the server processes (unpacked from the zonky binaries jar) and stops them on SIGTERM
  java -Xmx64m -XX:+UseSerialGC -cp deploy/target/kafka-launcher.jar dev.edapatterns.deploy.PostgresMain \
    --data-dir "$pg_data_dir" --port "$pg_port" --database orders >"$logs/postgres.log" 2>&1 &
  pids+=($!)
fi
infra=${#pids[@]}
wait_for 90 "Kafka" grep -q "KAFKA READY" "$logs/kafka.log"
db_env=()
if ((with_postgres)); then
  wait_for 120 "PostgreSQL" grep -q "POSTGRES READY" "$logs/postgres.log"
  pg_password=${POSTGRES_PASSWORD:-$(cat "$pg_data_dir.password")}
  db_env=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/orders" QUARKUS_DATASOURCE_USERNAME=postgres
    QUARKUS_DATASOURCE_PASSWORD="$pg_password")
fi

for p in "${processes[@]}"; do
  read -r name app port env <<<"$p"
  echo "Starting $name on http://localhost:$port"
  app_db_env=(); [[ $app == order-app ]] && app_db_env=("${db_env[@]}")
  # shellcheck disable=SC2086 # env is a list of NAME=value words
  env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$((port + 1000)) $env \
    "${app_db_env[@]}" java -jar "$app/target/quarkus-app/quarkus-run.jar" >"$logs/$name.log" 2>&1 &
  pids+=($!)
done
for p in "${processes[@]}"; do
  read -r name _ port _ <<<"$p"
  wait_for 120 "$name" ready "$port"
done

echo
echo "Kafka       127.0.0.1:$kafka_port"
((with_postgres)) && echo "PostgreSQL  jdbc:postgresql://127.0.0.1:$pg_port/orders  user postgres  password $pg_password"
for p in "${processes[@]}"; do
  read -r name _ port _ <<<"$p"
  printf '%-11s http://localhost:%s/   management (health, metrics): http://localhost:%s/q/\n' "$name" "$port" $((port + 1000))
done
echo
echo "Users (HTTP Basic on every API; form login on the pages):"
printf '  %-18s %-18s %s\n' admin "$EDA_ADMIN_PASSWORD" "billing-admin reference-admin orders-admin import-admin crm importer" \
  importer "$EDA_IMPORTER_PASSWORD" importer crm "$EDA_CRM_PASSWORD" crm \
  alice@example.com "$EDA_CUSTOMER_PASSWORD" customer
echo "Log in at:"
[[ -f notify-app/pom.xml ]] && echo "  progress page     http://localhost:8082/  (importer or admin)"
[[ -f billing-app/pom.xml ]] && echo "  billing dashboard http://localhost:8083/admin  (admin)"
echo "  e.g. curl -u crm:$EDA_CRM_PASSWORD http://localhost:8084/customers"
echo "Keys        EDA_SESSION_KEY=$EDA_SESSION_KEY EDA_CHANNEL_TOKEN_KEY=$EDA_CHANNEL_TOKEN_KEY"
echo "Logs        $logs"
echo "Ready. Ctrl-C stops everything."
wait -n "${pids[@]}" || true
((stopping)) || echo "A process exited unexpectedly; see $logs"
