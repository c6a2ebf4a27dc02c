-- Helpers shared by the wrk scripts of bench/load/: a millisecond clock, form
-- encoding, one-time survey tokens, percentiles, and the "LOAD key value" lines that
-- run.sh reads from wrk's output. Loaded with dofile() by each script, once in wrk's
-- setup/done state and once in each thread's state; it sends no request itself.

local M = {}

-- wrk's Lua is LuaJIT; its FFI gives a monotonic clock, which plain Lua lacks (os.clock
-- is processor time, os.time whole seconds). Pacing and per-kind latencies need it.
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock_id, load_timespec *tp);
]])
local timespec = ffi.new("load_timespec")
local CLOCK_MONOTONIC = 1

function M.now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
    return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

-- application/x-www-form-urlencoded, as a browser sends a form.
function M.encode(text)
    return (tostring(text):gsub("[^%w%-%._~ ]", function(c)
        return string.format("%%%02X", string.byte(c))
    end):gsub(" ", "+"))
end

-- A survey token: 32 hex digits, as the form's own, unique per run (run id), thread
-- and request. The server stores each new token as one new response.
function M.token(run_id, thread_index, counter)
    return string.format("%s%08x%016x", run_id, thread_index, counter)
end

function M.env(name, default)
    local value = os.getenv(name)
    if value == nil or value == "" then
        if default == nil then
            error("bench/load: " .. name .. " is not set; run the scripts through bench/load/run.sh")
        end
        return default
    end
    return value
end

-- The p-th percentile of a list of numbers (nearest rank), or nil when it is empty.
function M.percentile(values, p)
    local n = #values
    if n == 0 then
        return nil
    end
    table.sort(values)
    local rank = math.ceil(p / 100 * n)
    if rank < 1 then
        rank = 1
    end
    return values[rank]
end

function M.emit(key, value)
    io.write(string.format("LOAD %s %s\n", key, tostring(value)))
end

-- wrk's own totals: requests, requests/s, latency percentiles in ms, and the errors
-- the issue counts (socket errors, and statuses over 399, which wrk counts itself).
function M.emit_summary(summary, latency)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    M.emit("requests", summary.requests)
    M.emit("seconds", string.format("%.2f", seconds))
    M.emit("rps", string.format("%.1f", summary.requests / seconds))
    M.emit("p50_ms", string.format("%.2f", latency:percentile(50) / 1000))
    M.emit("p90_ms", string.format("%.2f", latency:percentile(90) / 1000))
    M.emit("p99_ms", string.format("%.2f", latency:percentile(99) / 1000))
    M.emit("max_ms", string.format("%.2f", latency.max / 1000))
    M.emit("errors_socket", e.connect + e.read + e.write + e.timeout)
    M.emit("errors_status", e.status)
    M.emit("errors", e.connect + e.read + e.write + e.timeout + e.status)
    M.emit("errors_detail", string.format("connect=%d,read=%d,write=%d,timeout=%d,status>399=%d",
        e.connect, e.read, e.write, e.timeout, e.status))
end

-- Each thread writes one line per response to its own file: wrk's thread:get() cannot
-- be used to collect tables at the end, since wrk 4.1 pops one value too many from the
-- thread's Lua stack for every table it copies, which corrupts the thread's state (the
-- strings read back get garbage on their ends, and wrk can crash). The lines are
-- "KIND STATUS MILLISECONDS TOKEN", line-buffered so that each is written whole.
function M.open_log(thread_index)
    local path = string.format("%s/thread-%d.log", M.env("LOAD_LOG_DIR"), thread_index)
    local file = assert(io.open(path, "w"))
    file:setvbuf("line")
    return file
end

-- Reads the lines of threads 1..count: per kind, the statuses seen and the latencies;
-- the survey tokens answered "Response sent", in order.
function M.read_logs(count)
    local statuses, latencies, tokens = {}, {}, {}
    for index = 1, count do
        local path = string.format("%s/thread-%d.log", M.env("LOAD_LOG_DIR"), index)
        local file = io.open(path, "r")
        if file then
            for line in file:lines() do
                local kind, status, ms, token = line:match("^(%a+) (%d+) ([%d.]+) (%S+)$")
                if kind then
                    statuses[kind] = statuses[kind] or {}
                    statuses[kind][tonumber(status)] = (statuses[kind][tonumber(status)] or 0) + 1
                    latencies[kind] = latencies[kind] or {}
                    table.insert(latencies[kind], tonumber(ms))
                    if token ~= "-" then
                        table.insert(tokens, token)
                    end
                end
            end
            file:close()
        end
    end
    return statuses, latencies, tokens
end

-- "200x1234,503x2": the statuses of one kind, in order.
function M.statuses_text(counts)
    local list = {}
    for status, n in pairs(counts or {}) do
        table.insert(list, { status, n })
    end
    table.sort(list, function(a, b) return a[1] < b[1] end)
    local parts = {}
    for _, s in ipairs(list) do
        table.insert(parts, s[1] .. "x" .. s[2])
    end
    return #parts > 0 and table.concat(parts, ",") or "none"
end

-- Writes the accepted survey tokens to a file, one a line, for run.sh to compare with
-- the tokens the database holds.
function M.write_tokens(path, tokens)
    local file = assert(io.open(path, "w"))
    for _, token in ipairs(tokens) do
        file:write(token, "\n")
    end
    file:close()
end

return M
