#!/usr/bin/env bash
# Seed the directory, then start the action server, the Rasa server and the web app; Ctrl-C
# stops all three. The Rasa API and REST channel want RASA_AUTH_TOKEN (made in var/ on first
# run unless set); the action server listens on loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8080}

# The seed is idempotent: run it every start, so the directory always matches directory/data/.
"$VENV/signpost" directory seed
export RASA_AUTH_TOKEN="${RASA_AUTH_TOKEN:-$("$VENV/signpost" local-token)}"
# A fresh secret each start between the Rasa server and the action server.
ACTIONS_TOKEN="$("$VENV/python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
export ACTIONS_TOKEN

pids=()
stop() {
  trap - INT TERM EXIT
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT
"$VENV/python" -m ops.action_server --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$VENV/python" -m ops.rasa_run run --model models --endpoints endpoints.yml \
  --credentials credentials.yml --enable-api --interface "${RASA_INTERFACE:-127.0.0.1}" \
  --port "$RASA_PORT" &
pids+=($!)
"$VENV/signpost" web --port "$WEB_PORT" &
pids+=($!)
cat <<BANNER
Assistant starting: Rasa on http://127.0.0.1:$RASA_PORT, actions on 127.0.0.1:$ACTIONS_PORT,
web app on http://127.0.0.1:$WEB_PORT. Ctrl-C stops all three.
Rasa's API and REST channel want the token in var/rasa-auth-token (?token= or Bearer).
BANNER
if [ -z "${TWILIO_AUTH_TOKEN:-}" ] || [ -z "${SENDER_ID_SECRET:-}" ]; then
  cat <<'BANNER'
SMS is off: the Twilio webhook refuses every request until TWILIO_AUTH_TOKEN (your Twilio
auth token) and SENDER_ID_SECRET (any long random secret) are set. To try the SMS path here:
  TWILIO_AUTH_TOKEN=local-trial SENDER_ID_SECRET=$(openssl rand -hex 32) make run
and in another terminal:
  TWILIO_AUTH_TOKEN=local-trial .venv/bin/signpost twilio-sim "food bank in batley"
BANNER
else
  echo "SMS is on: POST /webhooks/twilio/webhook. Try it: .venv/bin/signpost twilio-sim \"food bank in batley\" (with the same TWILIO_AUTH_TOKEN)."
fi
wait -n "${pids[@]}"
