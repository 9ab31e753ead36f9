// libFuzzer target: hostile Lua interceptors. The input is a script, optionally followed by a line
// "--request--" and a request ("METHOD /path?query" then "Name: value" lines); the script runs
// in the real sandbox (a small budget and memory cap) through LuaFilter, as a route's interceptor:
// its chunk, on_request(req), then on_response(res). Nothing may crash, leak or hang; whatever the
// script does, the answer is the request passing, the script's own answer or a 500.
// An input starting with "--pattern--" is one call of the sandbox's pattern functions instead,
// compared with Lua's own (see patternsDiffer).
#include "pipeline/requestcontext.h"
#include "policies/lua/luafilter.h"
#include "policies/lua/luasandbox.h"

#include <QByteArray>
#include <QHostAddress>
#include <QLoggingCategory>

#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace {

constexpr char kSeparator[] = "\n--request--\n";
constexpr char kPatternMode[] = "--pattern--\n";

// Defined in both states of patternsDiffer: probe(kind, subject, pattern, init) is one call under
// pcall, its results or error message as text.
constexpr char kDriver[] = R"(
local function text(...)
  local out = {}
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    out[#out + 1] = type(v) == 'string' and string.format('%q', v) or type(v) .. ':' .. tostring(v)
  end
  return table.concat(out, ',')
end
local function joined(...) return '[' .. table.concat({...}, '/') .. ']' end
function probe(kind, s, p, init)
  if kind == 0 then return text(pcall(string.find, s, p, init))
  elseif kind == 1 then return text(pcall(string.find, s, p, init, true))
  elseif kind == 2 then return text(pcall(string.match, s, p, init))
  elseif kind == 3 then
    return text(pcall(function()
      local out = {}
      for a, b, c in string.gmatch(s, p, init) do
        out[#out + 1] = text(a, b, c)
        if #out > 64 then break end
      end
      return table.concat(out, ';')
    end))
  elseif kind == 4 then return text(pcall(string.gsub, s, p, '<%0|%1%%>', init))
  elseif kind == 5 then return text(pcall(string.gsub, s, p, function(...) return select('#', ...) > 1 and joined(...) end))
  else return text(pcall(string.gsub, s, p, {a = 'A', b = false, ['1'] = 2}, init)) end
end
)";

lua_State *loadDriver(lua_State *L)
{
    if (luaL_loadbuffer(L, kDriver, sizeof kDriver - 1, "=driver") != LUA_OK || lua_pcall(L, 0, 0, 0) != LUA_OK)
        __builtin_trap();
    return L;
}

QByteArray probe(lua_State *L, int kind, QByteArrayView subject, QByteArrayView pattern, int init,
                 Gatehouse::LuaSandbox *sandbox)
{
    lua_getglobal(L, "probe");
    lua_pushinteger(L, kind);
    lua_pushlstring(L, subject.data(), size_t(subject.size()));
    lua_pushlstring(L, pattern.data(), size_t(pattern.size()));
    lua_pushinteger(L, init);
    QString error;
    if (sandbox && !sandbox->call(4, 1, &error)) {
        // Once the budget is spent, the count hook raises again after the driver's pcall caught it.
        if (!error.contains(QLatin1StringView("instruction budget of")))
            __builtin_trap();
        return error.toUtf8();
    }
    if (!sandbox && lua_pcall(L, 4, 1, 0) != LUA_OK)   // the driver's pcall catches what the call raises
        __builtin_trap();
    size_t length = 0;
    const char *text = lua_tolstring(L, -1, &length);
    QByteArray result(text, qsizetype(length));
    lua_pop(L, 1);
    return result;
}

// "--pattern--\n", a byte for the function (find, plain find, match, gmatch, gsub with a string,
// a function or a table), a byte for init (signed), the pattern, '\0', the subject. The sandbox's
// functions and Lua's own must give the same results and error messages; Lua's runs only when the
// sandbox's finished within its budget (a pattern that backtracks for hours would hang the fuzzer).
bool patternsDiffer(QByteArrayView input)
{
    static Gatehouse::LuaSandbox sandbox(Gatehouse::LuaSandbox::Limits{16 * 1024 * 1024, 200'000});
    static lua_State *const lua = [] {
        lua_State *L = luaL_newstate();
        luaL_openlibs(L);
        return loadDriver(L);
    }();
    static const bool sandboxReady = (loadDriver(sandbox.state()), true);
    (void)sandboxReady;
    if (input.size() < 2)
        return false;
    const int kind = static_cast<unsigned char>(input[0]) % 7;
    const int init = static_cast<signed char>(input[1]);
    input = input.sliced(2);
    const qsizetype zero = input.indexOf('\0');
    const QByteArrayView pattern = zero < 0 ? input : input.first(zero);
    const QByteArrayView subject = zero < 0 ? QByteArrayView() : input.sliced(zero + 1);
    const QByteArray ours = probe(sandbox.state(), kind, subject, pattern, init, &sandbox);
    if (ours.contains("instruction budget of"))
        return false;
    return ours != probe(lua, kind, subject, pattern, init, nullptr);
}

struct Request
{
    QByteArrayView method = "GET";
    QByteArrayView path = "/fuzz";
    QByteArrayView query;
    Gatehouse::Http1FieldList headers;
};

// Lenient on purpose: whatever the bytes, some request comes out (views into `text`).
Request parseRequest(QByteArrayView text)
{
    Request r;
    bool first = true;
    while (!text.isEmpty()) {
        const qsizetype end = text.indexOf('\n');
        const QByteArrayView line = end < 0 ? text : text.first(end);
        text = end < 0 ? QByteArrayView() : text.sliced(end + 1);
        if (first) {
            first = false;
            const qsizetype space = line.indexOf(' ');
            if (space > 0) {
                r.method = line.first(space);
                const QByteArrayView target = line.sliced(space + 1);
                const qsizetype q = target.indexOf('?');
                r.path = q < 0 ? target : target.first(q);
                r.query = q < 0 ? QByteArrayView() : target.sliced(q);
            }
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append(line.first(colon), line.sliced(colon + 1).trimmed());
    }
    return r;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    // Every failing script logs a warning: millions of lines, nothing the fuzzer needs.
    QLoggingCategory::setFilterRules(QStringLiteral("gatehouse.lua=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Gatehouse;
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (input.startsWith(kPatternMode)) {
        if (patternsDiffer(QByteArrayView(input).sliced(sizeof kPatternMode - 1)))
            __builtin_trap();
        return 0;
    }
    const qsizetype split = input.indexOf(kSeparator);
    Request request = parseRequest(split < 0 ? QByteArrayView()
                                             : QByteArrayView(input).sliced(split + sizeof kSeparator - 1));

    LuaFilter::Script script;
    script.source = split < 0 ? input : input.first(split);
    // The hub's packages read `settings`; a fixed seed keeps math.random's runs reproducible.
    script.prelude = "settings = {} math.randomseed(0)";
    script.chunkName = "@policies/fuzz.lua";
    script.limits.maxMemoryBytes = 2 * 1024 * 1024;
    script.limits.maxInstructions = 200'000;
    script.hasRequest = true;
    script.hasResponse = true;
    const LuaFilter filter(std::move(script), 1);

    RequestContext ctx;
    ctx.method = request.method;
    ctx.path = request.path;
    ctx.query = request.query;
    ctx.headers = &request.headers;
    ctx.peer = QHostAddress(QStringLiteral("192.0.2.7"));
    ctx.workerIndex = 0;
    const FilterStatus status = filter.onRequest(ctx);
    if (status == FilterStatus::Respond) {
        if (ctx.error.status < 200 || ctx.error.status > 599)   // respond() checks the range; errors are 500
            __builtin_trap();
        return 0;
    }
    if (status != FilterStatus::Continue)
        __builtin_trap();
    Http1FieldList responseHeaders;
    responseHeaders.append("Server", "upstream");
    responseHeaders.append("Content-Type", "application/json");
    ctx.upstreamResponseHeaders = &responseHeaders;
    filter.onResponseHead(ctx, 200);
    return 0;
}
