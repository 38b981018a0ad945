#!/usr/bin/env bash
# Shows the local cron at work against a running `npm start`: a real 5-minute deposit hold on the demo salon lapses
# by itself and its "Booking not completed" e-mail appears in /dev/mailbox, with no manual /__scheduled call.
# Usage (in another terminal, while `npm start` runs): bash scripts/hold-lapse-demo.sh
#   API=http://127.0.0.1:8787 (default)  BOOKRA_DATA_DIR=.data (default; where the demo admin key is)
# It sets the demo tenant's holdMinutes to 5 (the shortest allowed) and takes about 6 minutes.
set -euo pipefail
API=${API:-http://127.0.0.1:8787}
KEY=$(cat "${BOOKRA_DATA_DIR:-.data}/demo-admin-key")
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(eval("(j)=>"+process.argv[1])(JSON.parse(s))))' "$1"; }

curl -sf -X PATCH "$API/v1/admin/tenant" -H "authorization: Bearer $KEY" -H 'content-type: application/json' \
  -d '{"policies":{"holdMinutes":5}}' >/dev/null
SVC=$(curl -sf "$API/v1/public/demo-salon/catalog" | json 'j.services.find((s) => s.deposit).id')
START=$(curl -sf "$API/v1/public/demo-salon/availability?serviceId=$SVC&from=$(date -u -d '+3 days' +%F)&to=$(date -u -d '+10 days' +%F)" |
  json 'j.slots[0].start')
EMAIL="hold-demo-$(date -u +%s)@example.com"
# Only this booking's e-mail counts (other holds may lapse meanwhile): the entry's meta line names the recipient.
lapsed() { curl -sf "$API/dev/mailbox" | grep -o "to $EMAIL · key <code>[^<]*</code></div><h3>Booking not completed[^<]*" || true; }
curl -sf -X POST "$API/v1/public/demo-salon/bookings" -H 'content-type: application/json' \
  -H "Idempotency-Key: $(node -p 'crypto.randomUUID()')" \
  -d "{\"serviceId\":\"$SVC\",\"start\":\"$START\",\"customer\":{\"name\":\"Hold Demo\",\"email\":\"$EMAIL\"}}" |
  json '`booked ${j.booking.id} at ${new Date().toISOString()}: ${j.booking.status}, held until ${j.booking.holdExpiresAt}`'
echo "waiting for the cron to expire it (the hold lapses in 5 minutes; the cron runs each minute)…"
for _ in $(seq 1 80); do
  FOUND=$(lapsed)
  if [ -n "$FOUND" ]; then
    echo "$(date -u +%FT%TZ) the mailbox has it: ${FOUND##*<h3>}"
    exit 0
  fi
  sleep 6
done
echo "no 'Booking not completed' e-mail for $EMAIL after 8 minutes" >&2
exit 1
