-- GET /api/v1/jobs/{id} for ids drawn at random from $JOBPLANE_IDS (one id a line).
local token = os.getenv("JOBPLANE_TOKEN")
local ids = {}
for line in io.lines(os.getenv("JOBPLANE_IDS")) do
  ids[#ids + 1] = line
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads * 7919)
end

-- each wrk thread draws its own sequence of ids
function init(args)
  math.randomseed(seed)
end

function request()
  return wrk.format("GET", "/api/v1/jobs/" .. ids[math.random(#ids)],
    { ["Authorization"] = "Bearer " .. token })
end
