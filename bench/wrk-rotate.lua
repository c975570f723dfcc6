-- wrk script for the Vigie HTTP benchmarks (see wrk_run in lib.sh).
-- Usage: wrk ... -s wrk-rotate.lua http://127.0.0.1:PORT -- PATH...
--        wrk ... -s wrk-rotate.lua http://127.0.0.1:PORT -- @FILE
-- Each connection asks for the PATHs (already URL-encoded; or those of
-- FILE, one per line) in turn, each thread starting at a different one. done() prints one line for lib.sh:
--   WRK_RESULT requests duration_us p50_us p99_us non2xx connect read write timeout
-- wrk gives each thread its own Lua state: the non-2xx answers are counted
-- per thread and added up in done().

local threads, count = {}, 0

function setup(thread)
  thread:set("first", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  paths = args
  if #args == 1 and args[1]:sub(1, 1) == "@" then
    paths = {}
    for line in io.lines(args[1]:sub(2)) do
      if #line > 0 then
        table.insert(paths, line)
      end
    end
  end
  if #paths == 0 then
    paths = { "/" }
  end
  i = first % #paths
  non2xx = 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local n, e = 0, summary.errors
  for _, t in ipairs(threads) do
    n = n + t:get("non2xx")
  end
  io.write(string.format("WRK_RESULT %d %d %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
    n, e.connect, e.read, e.write, e.timeout))
end
