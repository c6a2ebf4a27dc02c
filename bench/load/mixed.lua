-- The mixed load of bench/load/run.sh: the public plan page, public search with varied
-- words, survey submissions (each with a new token, so each stores one new response),
-- and staff edits (the working draft's plan details form, posted with a session
-- cookie), in the proportions of LOAD_MIX. Each thread writes a line per response to
-- its file in LOAD_LOG_DIR (see common.lua for why not thread:get); done() reads them
-- and prints wrk's totals and, per kind, the statuses seen and the latency percentiles,
-- and writes the survey tokens answered "Response sent" to LOAD_TOKENS for run.sh to
-- look up in the database.
--
-- run.sh starts wrk with one thread per connection. wrk's response() is not told which
-- connection it belongs to, so with several connections on one thread a response
-- cannot be matched with its request; with one, the thread's last request is the one
-- answered. The threads wait on their sockets almost all the time, so the extra
-- threads cost little on two cores.
--
-- Settings (environment, set by run.sh): LOAD_DIR, LOAD_RUN_ID (8 hex digits, unique
-- per run), LOAD_MIX ("plan:40,search:30,survey:20,staff:10"), LOAD_SLUG (the open
-- exercise's web address), LOAD_COOKIE ("pcplan_session=..."), LOAD_EDIT_PATH,
-- LOAD_EDIT_BODY (the form's other fields, encoded), LOAD_EDIT_FIELD and
-- LOAD_EDIT_VALUE (the field each edit changes and its original value, encoded),
-- LOAD_LOG_DIR (one file per thread), LOAD_TOKENS (the file for accepted tokens).

local common = dofile(os.getenv("LOAD_DIR") .. "/common.lua")

local KINDS = { "plan", "search", "survey", "staff" }

-- What a successful answer is for each kind: pages 200, the survey its 200 "Response
-- sent" page (it answers the post itself rather than redirecting), a staff form 303.
local SUCCESS = { plan = 200, search = 200, survey = 200, staff = 303 }

-- Words people search a police and crime plan for, some in the demo's records and
-- some not, so both full and empty result pages are served.
local WORDS = {
    "police", "crime", "victims", "violence", "neighbourhood", "knife crime", "young people",
    "road safety", "fraud", "partnership", "community", "burglary", "drugs", "domestic abuse",
    "cyber", "rural", "prevention", "reoffending", "mental health", "budget", "precept",
    "panel", "consultation", "anti-social behaviour", "hate crime", "modern slavery",
    "Birmingham", "Coventry", "Wolverhampton", "Leicester", "objective", "measure",
    "commissioner", "transport", "youth", "exploitation", "firearms", "gangs", "policing",
    "zebra crossing", "quantum", "lighthouse",
}

-- Survey answers: varied text, each with its request number so no two are the same.
local ANSWERS = {
    "More visible neighbourhood policing in the evenings, especially near the station.",
    "Faster response to burglaries and keeping victims informed about their case.",
    "Tackle speeding and dangerous driving on residential roads near schools.",
    "Support for young people so they are not drawn into gangs or county lines.",
    "Take domestic abuse seriously and fund more specialist support services.",
    "Online fraud against older people needs a proper local response.",
}

-- setup/done state: the threads, numbered for their tokens.
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_index", #threads)
end

-- thread state
local run_id, slug, cookie, edit_path, edit_body, edit_field, edit_value, log
local wheel = {}
local plan_request
local search_requests = {}
local counter = 0
local pending_kind, pending_token, started_at

function init(args)
    run_id = common.env("LOAD_RUN_ID")
    slug = common.env("LOAD_SLUG")
    cookie = common.env("LOAD_COOKIE")
    edit_path = common.env("LOAD_EDIT_PATH")
    edit_body = common.env("LOAD_EDIT_BODY")
    edit_field = common.env("LOAD_EDIT_FIELD")
    edit_value = common.env("LOAD_EDIT_VALUE", "")
    log = common.open_log(thread_index)
    math.randomseed(thread_index * 7919 + tonumber(run_id:sub(1, 6), 16))
    -- A wheel of 100 slots in the proportions of LOAD_MIX.
    for kind, weight in common.env("LOAD_MIX"):gmatch("(%a+):(%d+)") do
        if SUCCESS[kind] == nil then
            error("bench/load: LOAD_MIX names `" .. kind .. "`; use plan, search, survey and staff")
        end
        for _ = 1, tonumber(weight) do
            table.insert(wheel, kind)
        end
    end
    plan_request = wrk.format("GET", "/plan")
    for _, word in ipairs(WORDS) do
        table.insert(search_requests, wrk.format("GET", "/search?q=" .. common.encode(word)))
    end
end

local FORM = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function request()
    counter = counter + 1
    pending_kind = wheel[math.random(#wheel)]
    pending_token = nil
    started_at = common.now_ms()
    if pending_kind == "plan" then
        return plan_request
    elseif pending_kind == "search" then
        return search_requests[math.random(#search_requests)]
    elseif pending_kind == "survey" then
        pending_token = common.token(run_id, thread_index, counter)
        local answer = ANSWERS[math.random(#ANSWERS)] .. " (" .. counter .. ")"
        local body = "token=" .. pending_token .. "&q-1=" .. common.encode(answer)
            .. "&respondent_type=resident&publish_consent=no&consent=yes"
        return wrk.format("POST", "/consultations/" .. slug .. "/respond", FORM, body)
    else
        local headers = { ["Content-Type"] = FORM["Content-Type"], ["Cookie"] = cookie }
        local value = edit_value .. common.encode("\n\nLoad test edit " .. thread_index .. "-" .. counter .. ".")
        local body = edit_body .. "&" .. edit_field .. "=" .. value
        return wrk.format("POST", edit_path, headers, body)
    end
end

function response(status, headers, body)
    local kind = pending_kind
    if kind == nil then
        return
    end
    pending_kind = nil
    -- A survey token counts as accepted only on the "Response sent" page of a new
    -- response; the same page for a form already sent stores nothing.
    local token = "-"
    if kind == "survey" and status == 200 and body:find("Response sent", 1, true)
        and not body:find("already been sent", 1, true) then
        token = pending_token
    end
    log:write(string.format("%s %d %.3f %s\n", kind, status, common.now_ms() - started_at, token))
end

function done(summary, latency, requests)
    common.emit_summary(summary, latency)
    local statuses, latencies, tokens = common.read_logs(#threads)
    for _, kind in ipairs(KINDS) do
        local answered, ok, errors = 0, 0, 0
        for status, n in pairs(statuses[kind] or {}) do
            answered = answered + n
            if status == SUCCESS[kind] then
                ok = ok + n
            end
            if status > 399 then
                errors = errors + n
            end
        end
        local p50 = common.percentile(latencies[kind] or {}, 50)
        local p99 = common.percentile(latencies[kind] or {}, 99)
        common.emit("kind." .. kind .. ".answered", answered)
        common.emit("kind." .. kind .. ".ok", ok)
        common.emit("kind." .. kind .. ".errors", errors)
        common.emit("kind." .. kind .. ".statuses", common.statuses_text(statuses[kind]))
        common.emit("kind." .. kind .. ".p50_ms", p50 and string.format("%.2f", p50) or "-")
        common.emit("kind." .. kind .. ".p99_ms", p99 and string.format("%.2f", p99) or "-")
    end
    common.emit("survey_accepted", #tokens)
    common.write_tokens(common.env("LOAD_TOKENS"), tokens)
end
