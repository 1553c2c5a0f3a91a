-- POST /api/v1/todos with a small valid body: the write path.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"title":"benchmark todo","done":false}'
