-- wrk script for tests/bench/run: GET a person path with a random person id
-- from a file on every request.  Environment:
--   BENCH_IDS    file with one person id per line
--   BENCH_TOKEN  bearer token
--   BENCH_PATH   path with %s for the id, e.g. /v1/persons/%s/compliance?year=2025
-- Prints one line: RESULT rps=… p50_ms=… p99_ms=… requests=… errors=… non2xx=…
local ids = {}
local token = os.getenv("BENCH_TOKEN")
local fmt = os.getenv("BENCH_PATH")
local counter = 0

setup = function(thread)
	counter = counter + 1
	thread:set("seed", counter)
end

init = function(args)
	for line in io.lines(os.getenv("BENCH_IDS")) do
		ids[#ids + 1] = line
	end
	math.randomseed(os.time() * 1000 + (seed or 0))
	wrk.headers["Authorization"] = "Bearer " .. token
end

request = function()
	return wrk.format("GET", string.format(fmt, ids[math.random(#ids)]))
end

done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n",
		summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, summary.requests,
		e.connect + e.read + e.write + e.timeout, e.status))
end
