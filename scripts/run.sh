#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
"$VENV/rasa" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$VENV/rasa" run --model models --endpoints endpoints.yml --credentials credentials.yml \
  --enable-api --interface "${RASA_INTERFACE:-127.0.0.1}" --port "$RASA_PORT" &
pids+=($!)
"$VENV/signpost" web --port "${WEB_PORT:-8080}" &
pids+=($!)
echo "Assistant starting: Rasa on http://127.0.0.1:$RASA_PORT, actions on :$ACTIONS_PORT. web app on :${WEB_PORT:-8080}. Ctrl-C stops all three."
wait -n "${pids[@]}"
