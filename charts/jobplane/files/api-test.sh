# helm test: the API server is ready, takes a job and gives it back. The job is submitted
# suspended to queue helm-test, so no worker runs it, then stopped and deleted. The token goes to
# curl on stdin, never on its command line, and is never printed.
set -eu
api="${JOBPLANE_URL%/}"

# METHOD PATH [BODY]: the answer's body on stdout; fails on a status other than 2xx (curl says
# which, and the body is the problem document).
call() {
  if [ $# -ge 3 ]; then
    printf 'Authorization: Bearer %s\n' "$JOBPLANE_TOKEN" |
      curl -sS --fail-with-body --max-time 10 -X "$1" -H @- \
        -H 'Content-Type: application/json' --data "$3" "$api$2"
  else
    printf 'Authorization: Bearer %s\n' "$JOBPLANE_TOKEN" |
      curl -sS --fail-with-body --max-time 10 -X "$1" -H @- "$api$2"
  fi
}

fail() {
  echo "$1"
  exit 1
}

echo "GET $api/readyz"
curl -sS --fail-with-body --max-time 10 --retry 5 --retry-delay 2 --retry-all-errors "$api/readyz"
echo

body=$(printf '{"name":"helm test","type":"helm-test","project":"%s","queue":"helm-test","suspend":true}' "$JOBPLANE_PROJECT")
job=$(call POST /api/v1/jobs "$body") || fail "POST /api/v1/jobs: $job"
id=$(printf '%s' "$job" | sed -n 's/^{"id":"\([0-9a-f-]*\)".*/\1/p')
[ -n "$id" ] || fail "POST /api/v1/jobs: no job id in the answer: $job"
echo "POST /api/v1/jobs: submitted $id"

read_back=$(call GET "/api/v1/jobs/$id") || fail "GET /api/v1/jobs/$id: $read_back"
case "$read_back" in
  *"\"id\":\"$id\""*"\"status\":\"SUSPENDED\""*) echo "GET /api/v1/jobs/$id: SUSPENDED" ;;
  *) fail "GET /api/v1/jobs/$id answered: $read_back" ;;
esac

answer=$(call POST "/api/v1/jobs/$id/stop" '{"mode":"immediate"}') ||
  fail "POST /api/v1/jobs/$id/stop: $answer"
answer=$(call DELETE "/api/v1/jobs/$id") || fail "DELETE /api/v1/jobs/$id: $answer"
echo "POST /api/v1/jobs/$id/stop, DELETE /api/v1/jobs/$id: done"
