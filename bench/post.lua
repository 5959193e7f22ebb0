-- wrk script: each request is a POST of the next line of the file named in WRK_LINES, round
-- robin; a line is "path token", the token sent as "Authorization: Bearer <token>".
local lines = {}
local index = 0

function init(args)
  for line in io.lines(os.getenv("WRK_LINES")) do
    local path, token = line:match("^(%S+)%s+(%S+)$")
    lines[#lines + 1] = {path, token}
  end
  index = math.random(#lines)
end

function request()
  index = index % #lines + 1
  local line = lines[index]
  return wrk.format("POST", line[1], {
    ["Authorization"] = "Bearer " .. line[2],
    ["Content-Type"] = "application/json",
  }, "")
end
