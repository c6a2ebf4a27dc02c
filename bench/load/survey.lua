-- Survey submissions alone, paced, for bench/load/run.sh: each wrk thread sends one
-- new response (a new token) at a fixed interval, so that all threads together offer
-- LOAD_RATE submissions a second. done() prints wrk's totals, the statuses seen and
-- the tokens answered "Response sent" (written to LOAD_TOKENS), which run.sh compares
-- with the responses the database holds.
--
-- Pacing: wrk asks delay() before every request. Each thread keeps a schedule of one
-- slot every threads/LOAD_RATE seconds and waits until its next slot; a slot missed
-- because the server was slow is not made up later in a burst, so the rate printed is
-- what was offered. As in mixed.lua, run.sh gives every connection its own thread, so
-- a response is matched with its request.
--
-- Settings (environment, set by run.sh): LOAD_DIR, LOAD_RUN_ID, LOAD_SLUG,
-- LOAD_RATE, LOAD_THREADS, LOAD_TOKENS.

local common = dofile(os.getenv("LOAD_DIR") .. "/common.lua")

local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_index", #threads)
end

local run_id, path, interval_ms, next_at
local counter = 0
local pending_token
local FORM = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function init(args)
    run_id = common.env("LOAD_RUN_ID")
    path = "/consultations/" .. common.env("LOAD_SLUG") .. "/respond"
    local rate = tonumber(common.env("LOAD_RATE"))
    local thread_count = tonumber(common.env("LOAD_THREADS"))
    interval_ms = 1000 * thread_count / rate
    counts = {}
    accepted = {}
    duplicates = 0
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
    local body = "token=" .. pending_token .. "&q-1="
        .. common.encode("Paced survey response " .. thread_index .. "-" .. counter .. ": more patrols, please.")
        .. "&publish_consent=no&consent=yes"
    return wrk.format("POST", path, FORM, body)
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
    if status == 200 and body:find("Response sent", 1, true) then
        if body:find("already been sent", 1, true) then
            duplicates = duplicates + 1
        else
            table.insert(accepted, pending_token)
        end
    end
end

function done(summary, latency, requests)
    common.emit_summary(summary, latency)
    local counts, tokens, duplicates = {}, {}, 0
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("counts") or {}) do
            counts[status] = (counts[status] or 0) + n
        end
        for _, token in ipairs(thread:get("accepted") or {}) do
            table.insert(tokens, token)
        end
        duplicates = duplicates + (thread:get("duplicates") or 0)
    end
    local statuses = {}
    for status, n in pairs(counts) do
        table.insert(statuses, { status, n })
    end
    table.sort(statuses, function(a, b) return a[1] < b[1] end)
    local parts = {}
    for _, s in ipairs(statuses) do
        table.insert(parts, s[1] .. "x" .. s[2])
    end
    common.emit("statuses", #parts > 0 and table.concat(parts, ",") or "none")
    common.emit("survey_accepted", #tokens)
    common.emit("survey_duplicates", duplicates)
    common.write_tokens(common.env("LOAD_TOKENS"), tokens)
end
