-- Survey submissions alone, paced, for bench/load/run.sh: each wrk thread sends one
-- new response (a new token) at a fixed interval, so that all threads together offer
-- LOAD_RATE submissions a second. Each thread writes a line per response to its file
-- in LOAD_LOG_DIR; done() prints wrk's totals and the statuses seen, and writes the
-- tokens answered "Response sent" to LOAD_TOKENS, which run.sh compares with the
-- responses the database holds.
--
-- Pacing: wrk asks delay() before every request. Each thread keeps a schedule of one
-- slot every threads/LOAD_RATE seconds and waits until its next slot; a slot missed
-- because the server was slow is not made up later in a burst, so the rate printed is
-- what was offered. As in mixed.lua, run.sh gives every connection its own thread, so
-- a response is matched with its request.
--
-- Settings (environment, set by run.sh): LOAD_DIR, LOAD_RUN_ID, LOAD_SLUG,
-- LOAD_RATE, LOAD_THREADS, LOAD_LOG_DIR, LOAD_TOKENS.

local common = dofile(os.getenv("LOAD_DIR") .. "/common.lua")

local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_index", #threads)
end

local run_id, path, interval_ms, next_at, log, started_at
local counter = 0
local pending_token
local FORM = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
    run_id = common.env("LOAD_RUN_ID")
    path = "/consultations/" .. common.env("LOAD_SLUG") .. "/respond"
    local rate = tonumber(common.env("LOAD_RATE"))
    local thread_count = tonumber(common.env("LOAD_THREADS"))
    interval_ms = 1000 * thread_count / rate
    log = common.open_log(thread_index)
end

function delay()
    local now = common.now_ms()
    if next_at == nil then
        -- Threads start together; spread their first slots over one interval.
        next_at = now + interval_ms * (thread_index - 1) / tonumber(common.env("LOAD_THREADS"))
    else
        next_at = next_at + interval_ms
    end
    if next_at < now then
        next_at = now
    end
    return math.floor(next_at - now)
end

function request()
    counter = counter + 1
    pending_token = common.token(run_id, thread_index, counter)
    started_at = common.now_ms()
    local body = "token=" .. pending_token .. "&q-1="
        .. common.encode("Paced survey response " .. thread_index .. "-" .. counter .. ": more patrols, please.")
        .. "&publish_consent=no&consent=yes"
    return wrk.format("POST", path, FORM, body)
end

function response(status, headers, body)
    local token = "-"
    if status == 200 and body:find("Response sent", 1, true) and not body:find("already been sent", 1, true) then
        token = pending_token
    end
    log:write(string.format("survey %d %.3f %s\n", status, common.now_ms() - started_at, token))
end

function done(summary, latency, requests)
    common.emit_summary(summary, latency)
    local statuses, _, tokens = common.read_logs(#threads)
    common.emit("statuses", common.statuses_text(statuses.survey))
    common.emit("survey_accepted", #tokens)
    common.write_tokens(common.env("LOAD_TOKENS"), tokens)
end
