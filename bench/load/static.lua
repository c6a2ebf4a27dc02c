-- Reporting only, for the single-URL runs of bench/load/run.sh (nginx's static copy of
-- the plan page, and pcplan's /plan): prints wrk's totals as "LOAD key value" lines.
-- It defines no request() or response(), so wrk keeps its fast path of one
-- pre-built request and never reads the bodies.

local common = dofile(os.getenv("LOAD_DIR") .. "/common.lua")

function done(summary, latency, requests)
    common.emit_summary(summary, latency)
end
