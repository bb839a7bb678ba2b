-- POST /api/v1/jobs: one new job a request, committed durably before the 201.
wrk.method = "POST"
wrk.path = "/api/v1/jobs"
wrk.body = '{"name":"submit-bench","type":"bench","queue":"submit-bench"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("JOBPLANE_TOKEN")
