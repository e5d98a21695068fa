#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, broker+controller) on 127.0.0.1 for local development and CI.
#
#   scripts/services/kafka.sh start|stop|status|restart|reset
#
# Kafka is not packaged in Debian or npm, so the jars of org.apache.kafka:kafka_2.13 (plus
# kafka-tools for the admin/console tools) are resolved with Maven into
#   ${NUCLEON_CACHE:-$HOME/.cache/nucleon}/kafka-$KAFKA_VERSION/libs   (reused when present)
# and the broker runs with `java -cp 'libs/*' kafka.Kafka server.properties`.
#
# Environment:
#   NUCLEON_KAFKA_PORT             client (PLAINTEXT) port, default 9092
#   NUCLEON_KAFKA_CONTROLLER_PORT  KRaft controller port, default 9093
#   NUCLEON_KAFKA_DATA             data dir (config, log.dirs, pid, log); default $cache/kafka-data-$PORT
#   NUCLEON_KAFKA_HEAP             JVM heap options, default "-Xms256m -Xmx512m"
#   NUCLEON_KAFKA_WAIT             seconds to wait for the broker to answer, default 60
#   JAVA                           java binary (Java 17+), default: java on PATH
#
# Idempotent: `start` is a no-op when a broker already answers on the port; `stop` is a no-op
# when nothing is running. Topic auto-creation is ENABLED (auto.create.topics.enable=true) so
# tests may produce to fresh topic names; tests that need a specific partition count should
# still create their topics explicitly.
set -euo pipefail

KAFKA_VERSION=4.4.0
SCALA_VERSION=2.13
CACHE="${NUCLEON_CACHE:-$HOME/.cache/nucleon}"
HOME_DIR="$CACHE/kafka-$KAFKA_VERSION"
LIBS="$HOME_DIR/libs"
PORT="${NUCLEON_KAFKA_PORT:-9092}"
CPORT="${NUCLEON_KAFKA_CONTROLLER_PORT:-9093}"
DATA="${NUCLEON_KAFKA_DATA:-$CACHE/kafka-data-$PORT}"
PIDFILE="$DATA/kafka.pid"
LOGFILE="$DATA/kafka.out"
CONF="$DATA/server.properties"
LOG4J="$DATA/log4j2.yaml"
WAIT="${NUCLEON_KAFKA_WAIT:-60}"
JAVA="${JAVA:-java}"
BOOTSTRAP="127.0.0.1:$PORT"
LOG_NAME=kafka.sh

# log, port_open, pid_alive, record_pid, wait_ready, stop_recorded_pid, remove_pidfile
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_java() {
  local v
  v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  if [ -z "$v" ] || [ "$v" -lt 17 ]; then
    log "Java 17+ is required (found: ${v:-none}); set JAVA=/path/to/java"; exit 1
  fi
}

# Resolve kafka_2.13 + kafka-tools and all runtime dependencies into $LIBS (once).
ensure_libs() {
  if [ -f "$LIBS/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn is required to fetch Kafka jars (apt-get install -y maven)"; exit 1; }
  log "resolving Kafka $KAFKA_VERSION jars with Maven into $LIBS (first run only, ~1 min)..."
  local tmp; tmp="$(mktemp -d)"
  cat >"$tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.nucleon.services</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_VERSION</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>$KAFKA_VERSION</version></dependency>
    <!-- kafka_2.13's pom pins slf4j-api 1.7.36, which finds no binding (NOP logger): pin SLF4J 2 +
         log4j2 so the broker logs through log4j2 (config: \$DATA/log4j2.yaml). -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j2-impl</artifactId><version>2.25.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.25.3</version></dependency>
  </dependencies>
</project>
POM
  rm -rf "$LIBS.tmp"; mkdir -p "$LIBS.tmp"
  local t0=$SECONDS
  # -B: no colours; progress is one line per artifact downloaded (visible, not too noisy).
  if ! mvn -B -f "$tmp/pom.xml" -Dmaven.repo.local="${NUCLEON_M2_REPO:-$HOME/.m2/repository}" \
        org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" 2>&1 \
      | grep --line-buffered -E 'Downloaded from .*\.jar|BUILD|ERROR' \
      | sed -u -E 's#Downloaded from [^ ]+ .*/([^/]+\.jar).*#  downloaded \1#' >&2; then
    :
  fi
  if [ "${PIPESTATUS[0]}" != 0 ] || ! ls "$LIBS.tmp"/kafka_"$SCALA_VERSION"-"$KAFKA_VERSION".jar >/dev/null 2>&1; then
    log "Maven resolution failed (see output above)"; rm -rf "$tmp"; exit 1
  fi
  rm -rf "$tmp" "$LIBS"; mv "$LIBS.tmp" "$LIBS"; touch "$LIBS/.complete"
  log "resolved $(ls "$LIBS"/*.jar | wc -l) jars in $((SECONDS - t0))s"
}

kjava() { "$JAVA" -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" "$@"; }

write_config() {
  mkdir -p "$DATA/logs"
  cat >"$LOG4J" <<'L4J'
Configuration:
  Appenders:
    Console:
      name: STDOUT
      target: SYSTEM_ERR
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
    Logger:
      - name: kafka.server.KafkaServer
        level: INFO
      - name: kafka.server.BrokerServer
        level: INFO
      - name: kafka.Kafka
        level: INFO
L4J
  cat >"$CONF" <<PROPS
# generated by scripts/services/kafka.sh — single-node KRaft broker for dev/CI
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=true
delete.topic.enable=true
group.initial.rebalance.delay.ms=0
log.retention.hours=24
PROPS
}

broker_answers() {
  port_open "$PORT" || return 1
  timeout 30 "$JAVA" -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1
}

cmd_status() {
  if pid_alive && port_open "$PORT"; then
    echo "kafka: running (pid $(cat "$PIDFILE"), $BOOTSTRAP, data $DATA)"; return 0
  elif port_open "$PORT"; then
    echo "kafka: something listens on $BOOTSTRAP (not started by this script)"; return 0
  elif pid_alive; then
    echo "kafka: starting or unhealthy (pid $(cat "$PIDFILE"), port $PORT closed; log $LOGFILE)"; return 1
  fi
  echo "kafka: not running"; return 3
}

cmd_start() {
  local t0=$SECONDS
  if port_open "$PORT"; then
    # Something listens already: accept it if it answers as a Kafka broker.
    if [ -f "$LIBS/.complete" ] && { [ -f "$LOG4J" ] || write_config; } && broker_answers; then
      log "broker already answers on $BOOTSTRAP"; return 0
    fi
    if ! pid_alive; then
      log "port $PORT is in use by something that does not answer as Kafka"; exit 1
    fi
  fi
  ensure_java
  ensure_libs
  if ! pid_alive; then
    write_config
    if [ ! -f "$DATA/logs/meta.properties" ]; then
      local cid; cid="$(kjava kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
      log "formatting storage in $DATA/logs (cluster id $cid)"
      kjava kafka.tools.StorageTool format -t "$cid" -c "$CONF" --ignore-formatted >/dev/null
    fi
    log "starting broker on $BOOTSTRAP (controller 127.0.0.1:$CPORT), log $LOGFILE"
    # shellcheck disable=SC2086
    setsid "$JAVA" ${NUCLEON_KAFKA_HEAP:--Xms256m -Xmx512m} -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j2.configurationFile="$LOG4J" -cp "$LIBS/*" kafka.Kafka "$CONF" \
      >"$LOGFILE" 2>&1 </dev/null &
    record_pid $!
  fi
  local deadline=$((SECONDS + WAIT)) pid rc=0
  pid="$(cat "$PIDFILE")"
  wait_ready "$WAIT" 0.3 "$pid" port_open "$PORT" || rc=$?
  case $rc in
    1) log "broker exited during startup; last log lines:"; tail -30 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "port $PORT not open after ${WAIT}s; see $LOGFILE"; abandon_start; exit 1 ;;
  esac
  wait_ready "$((deadline - SECONDS))" 1 "$pid" broker_answers || rc=$?
  case $rc in
    1) log "broker exited; see $LOGFILE"; tail -30 "$LOGFILE" >&2; abandon_start; exit 1 ;;
    2) log "broker not answering after ${WAIT}s; see $LOGFILE"; abandon_start; exit 1 ;;
  esac
  log "broker ready on $BOOTSTRAP (pid $(cat "$PIDFILE"), $((SECONDS - t0))s)"
}

cmd_stop() {
  if ! pid_alive; then
    remove_pidfile
    if port_open "$PORT"; then log "port $PORT is open but not owned by this script's pid file; leaving it"; fi
    log "not running"; return 0
  fi
  local pid; pid="$(cat "$PIDFILE")"
  log "stopping broker pid $pid"
  stop_recorded_pid "$pid" 30 "still alive after 30s; SIGKILL" || true
  log "stopped"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  reset) cmd_stop; rm -rf "$DATA"; log "removed $DATA" ;;
  classpath) ensure_libs; echo "$LIBS/*" ;;
  run) shift; ensure_libs; [ -f "$LOG4J" ] || write_config; kjava "$@" ;;
  *) echo "usage: $0 start|stop|status|restart|reset|classpath|run <main-class> [args...]" >&2; exit 2 ;;
esac
