-- wrk script of bench/scan: each request asks for the next code of a file (one code a line),
-- wrapping around. Arguments after `--`: the path prefix (e.g. /api/v1/verify/), the file, and
-- the line to start at (so consecutive runs over the same file continue instead of repeating).
local codes = {}
local count = 0
local position = 0
local prefix = '/'

function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do
    count = count + 1
    codes[count] = line
  end
  position = tonumber(args[3] or '0') % count
end

function request()
  position = position + 1
  if position > count then
    position = 1
  end
  return wrk.format(nil, prefix .. codes[position])
end
