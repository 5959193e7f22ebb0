-- wrk script: each request takes the next path from the file named in WRK_PATHS, round robin.
-- WRK_COOKIE, when set, is sent with every request (a signed-in person's session).
local paths = {}
local index = 0

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    paths[#paths + 1] = line
  end
  index = math.random(#paths)
  local cookie = os.getenv("WRK_COOKIE")
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
