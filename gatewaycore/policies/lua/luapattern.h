// Lua 5.4's pattern functions (string.find, match, gmatch, gsub) with a matcher whose steps are
// charged to the sandbox's instruction budget: Lua's own backtracks in C, out of the count hook's
// sight, so `string.find(string.rep('a', 3000), '.-.-.-.-b')` held a worker for seconds.
#pragma once

struct lua_State;

namespace Gatehouse {

// Replaces find, match, gmatch and gsub in the table on top of L's stack (the string library; the
// string metatable's __index is that table, so `s:find(...)` takes them too). The functions behave
// as Lua 5.4's, results and error messages alike; every step of the matcher (a pattern item tried
// at a position, a character a repetition or %b scans, a candidate of a plain find) counts as one
// instruction of the state's LuaSandbox, charged every kPatternChargeEvery steps and when the
// call returns. L must belong to a LuaSandbox.
void openLuaPatternFunctions(lua_State *L);

inline constexpr int kPatternChargeEvery = 1000;

} // namespace Gatehouse
