-- tests/fault/soak.lua — the soak's mix for wrk (issue 11), run by tests/fault/run:
--   wrk -t2 -c256 -d60s -s tests/fault/soak.lua http://HOST:PORT -- TOKEN PERSON,PERSON,…
-- TOKEN: a city bureau's bearer token; the persons: fixtures of the run.
-- Of every 8 requests: 3 GET compliance of a person, 2 GET persons (a page of
-- 20), 1 GET districts, 2 POST records — each a new record (person, date,
-- hours, form and category never used by another request of the soak, so
-- that none is a duplicate: a 409 would be the soak's own fault).
-- done() prints "soak-lua: requests=… duration_s=… 5xx=… statuses=… errors=… latency_ms=…".

local threads = {}

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

local token, persons, n, writes
statuses = {}

function init(args)
	token = args[1]
	persons = {}
	for id in string.gmatch(args[2] or "", "[^,]+") do
		persons[#persons + 1] = id
	end
	n, writes = 0, 0
end

local forms = { "training_class", "overseas_training", "academic_exchange", "degree_education",
	"remote_education", "online_education" }
local jan1 = os.time({ year = 2023, month = 1, day = 1, hour = 12 })

-- the w-th write of this thread: persons × 230 hours (0.1 … 23.0) a day of
-- 2023; the thread picks the form and category (12 threads at most)
local function record_body(w)
	local p = #persons
	local person = persons[w % p + 1]
	local tenths = math.floor(w / p) % 230 + 1
	local day = math.floor(w / (p * 230))
	local date = os.date("!%Y-%m-%d", jan1 + day * 86400)
	local form = forms[tid % 6 + 1]
	local category = math.floor(tid / 6) % 2 == 0 and "public" or "professional"
	return string.format('{"person":"%s","year":2023,"start_date":"%s","end_date":"%s",' ..
		'"category":"%s","form":"%s","class_type":"part_time","hours":%d.%d}',
		person, date, date, category, form, math.floor(tenths / 10), tenths % 10)
end

function request()
	n = n + 1
	local h = { ["Authorization"] = "Bearer " .. token }
	local k = n % 8
	if k < 3 then
		return wrk.format("GET", "/v1/persons/" .. persons[n % #persons + 1] .. "/compliance?year=2023", h)
	elseif k < 5 then
		return wrk.format("GET", "/v1/persons?limit=20", h)
	elseif k < 6 then
		return wrk.format("GET", "/v1/districts", h)
	end
	h["Content-Type"] = "application/json"
	writes = writes + 1
	return wrk.format("POST", "/v1/records", h, record_body(writes - 1))
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
	local all, fivexx = {}, 0
	for _, t in ipairs(threads) do
		for status, count in pairs(t:get("statuses")) do
			all[status] = (all[status] or 0) + count
			if status >= 500 then
				fivexx = fivexx + count
			end
		end
	end
	local codes = {}
	for status in pairs(all) do
		codes[#codes + 1] = status
	end
	table.sort(codes)
	local parts = {}
	for _, status in ipairs(codes) do
		parts[#parts + 1] = status .. ":" .. all[status]
	end
	local e = summary.errors
	print(string.format("soak-lua: requests=%d duration_s=%.1f 5xx=%d statuses=%s " ..
		"errors=connect:%d,read:%d,write:%d,timeout:%d latency_ms=p50:%.1f,p99:%.1f,max:%.1f",
		summary.requests, summary.duration / 1e6, fivexx, table.concat(parts, ","),
		e.connect, e.read, e.write, e.timeout, latency:percentile(50) / 1e3,
		latency:percentile(99) / 1e3, latency.max / 1e3))
end
