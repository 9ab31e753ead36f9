// A sandboxed Lua 5.4 state: restricted libraries, a memory cap, an instruction budget per call.
#include "luasandbox.h"

#include "luapattern.h"

#include <QLoggingCategory>

#include <lua.hpp>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <type_traits>

Q_LOGGING_CATEGORY(lcLua, "gatehouse.lua")

namespace Gatehouse {

namespace {

LuaSandbox *sandboxOf(lua_State *L)
{
    LuaSandbox *s = nullptr;
    std::memcpy(&s, lua_getextraspace(L), sizeof(s));   // threads inherit the main one's extra space
    return s;
}

QString popMessage(lua_State *L)
{
    size_t len = 0;
    const char *msg = lua_tolstring(L, -1, &len);
    const QString out = msg ? QString::fromUtf8(msg, qsizetype(len)) : QStringLiteral("(error object is not a string)");
    lua_pop(L, 1);
    return out;
}

} // namespace

LuaSandbox::LuaSandbox(Limits limits) : m_limits(limits)
{
    m_state = lua_newstate(&LuaSandbox::allocate, this);
    if (!m_state)
        return;
    LuaSandbox *self = this;
    std::memcpy(lua_getextraspace(m_state), &self, sizeof(self));
    lua_sethook(m_state, &LuaSandbox::countHook, LUA_MASKCOUNT, kHookEvery);
    openLibraries();
}

LuaSandbox::~LuaSandbox()
{
    if (m_state)
        lua_close(m_state);
}

void *LuaSandbox::hostOf(lua_State *L)
{
    return sandboxOf(L)->m_host;
}

void *LuaSandbox::allocate(void *ud, void *ptr, size_t oldSize, size_t newSize)
{
    auto *self = static_cast<LuaSandbox *>(ud);
    const qint64 before = ptr ? qint64(oldSize) : 0;
    if (newSize == 0) {
        std::free(ptr);
        self->m_bytes -= before;
        return nullptr;
    }
    if (qint64(newSize) > before && self->m_bytes + qint64(newSize) - before > self->m_limits.maxMemoryBytes)
        return nullptr;   // Lua raises "not enough memory" (LUA_ERRMEM) in the script
    void *p = std::realloc(ptr, newSize);
    if (p)
        self->m_bytes += qint64(newSize) - before;
    return p;
}

void LuaSandbox::countHook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    charge(L, kHookEvery);
}

void LuaSandbox::charge(lua_State *L, qint64 steps)
{
    LuaSandbox *self = sandboxOf(L);
    const qint64 budget = self->m_limits.maxInstructions;
    self->m_instructions += std::min<qint64>(steps, budget + 1);
    if (self->m_instructions > budget)
        luaL_error(L, "instruction budget of %d exceeded (an endless loop?)", int(budget));
}

// The library functions that loop in C as many times as a script asks, whatever memory the result
// takes: the count hook never sees those loops, so a worker would spin for good. Each of them is
// charged to the budget first (the memory cap bounds the others: what they loop over, they allocate),
// then calls Lua's own (its first upvalue) with the same arguments.
static int callLibraryFunction(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

int LuaSandbox::stringRep(lua_State *L)
{
    size_t length = 0, separator = 0;
    luaL_checklstring(L, 1, &length);
    const lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &separator);
    if (n > 0 && length + separator == 0) {
        // n copies of nothing: Lua's own would spin n times to write no byte
        charge(L, n);
        lua_pushliteral(L, "");
        return 1;
    }
    return callLibraryFunction(L);
}

int LuaSandbox::tableMove(lua_State *L)
{
    const lua_Integer from = luaL_checkinteger(L, 2);
    const lua_Integer to = luaL_checkinteger(L, 3);
    if (to >= from) {   // one element per step, into a table that may well be empty
        const lua_Unsigned span = lua_Unsigned(to) - lua_Unsigned(from);   // no signed overflow
        charge(L, span < lua_Unsigned(LUA_MAXINTEGER) ? qint64(span) + 1 : LUA_MAXINTEGER);
    }
    return callLibraryFunction(L);
}

// Lua's setmetatable, refusing a metatable with __gc: Lua runs finalizers with hooks disabled, so
// `setmetatable({}, {__gc = function() while true do end end})` spun the worker for good when the
// collector (or closing the state) reached the table, out of the budget's reach (found by fuzz_lua).
// Only a __gc present when setmetatable is called registers a finalizer, so checking here suffices.
int LuaSandbox::setMetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)   // raw, as Lua looks it up
            return luaL_error(L, "setmetatable: __gc is not allowed in the sandbox (finalizers run "
                                 "outside the instruction budget)");
    }
    lua_settop(L, 2);
    return callLibraryFunction(L);
}

// Lua's tostring, with integers written here: luaL_tolstring formats them through
// lua_pushfstring and snprintf (~650 instructions), and scripts convert status codes and counters
// per request. Numbers cannot have a metatable in the sandbox (no debug library), so the text is
// the same; everything else goes the standard way. The text of the last integer written is the
// function's upvalue: the same status code again (the usual case) copies it instead of formatting
// and interning it anew (~100 instructions instead of ~260).
static_assert(std::is_same_v<lua_Integer, qint64>, "m_lastInteger holds a lua_Integer");

int LuaSandbox::toString(lua_State *L)
{
    if (lua_isinteger(L, 1)) {
        LuaSandbox *self = sandboxOf(L);
        const lua_Integer n = lua_tointeger(L, 1);
        if (self->m_lastIntegerSet && self->m_lastInteger == n) {
            lua_pushvalue(L, lua_upvalueindex(1));
            return 1;
        }
        char digits[24];
        const auto written = std::to_chars(digits, digits + sizeof digits, n);
        lua_pushlstring(L, digits, size_t(written.ptr - digits));
        lua_pushvalue(L, -1);
        lua_replace(L, lua_upvalueindex(1));
        self->m_lastInteger = n;
        self->m_lastIntegerSet = true;
        return 1;
    }
    luaL_checkany(L, 1);
    luaL_tolstring(L, 1, nullptr);
    return 1;
}

int LuaSandbox::print(lua_State *L)
{
    const int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; ++i) {
        luaL_tolstring(L, i, nullptr);
        luaL_addvalue(&b);
        if (i < n)
            luaL_addchar(&b, '\t');
    }
    luaL_pushresult(&b);
    qCDebug(lcLua, "%s", lua_tostring(L, -1));
    return 0;
}

void LuaSandbox::openLibraries()
{
    lua_State *L = m_state;
    static const luaL_Reg kLibraries[] = {
        {LUA_GNAME, luaopen_base},       {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
    };
    for (const luaL_Reg &lib : kLibraries) {
        luaL_requiref(L, lib.name, lib.func, 1);
        lua_pop(L, 1);
    }
    // Whatever reads files, loads code other than the script or steers the collector goes.
    for (const char *name : {"dofile", "loadfile", "load", "collectgarbage", "require"}) {
        lua_pushnil(L);
        lua_setglobal(L, name);
    }
    lua_pushcfunction(L, &LuaSandbox::print);
    lua_setglobal(L, "print");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, &LuaSandbox::setMetatable, 1);
    lua_setglobal(L, "setmetatable");
    lua_pushnil(L);   // the text of the last integer written (none yet)
    lua_pushcclosure(L, &LuaSandbox::toString, 1);
    lua_setglobal(L, "tostring");
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    openLuaPatternFunctions(L);   // find, match, gmatch, gsub: Lua's backtrack out of the hook's sight
    lua_getfield(L, -1, "rep");
    lua_pushcclosure(L, &LuaSandbox::stringRep, 1);
    lua_setfield(L, -2, "rep");
    lua_pop(L, 1);
    lua_getglobal(L, LUA_TABLIBNAME);
    lua_getfield(L, -1, "move");
    lua_pushcclosure(L, &LuaSandbox::tableMove, 1);
    lua_setfield(L, -2, "move");
    lua_pop(L, 1);
}

bool LuaSandbox::run(const QByteArray &source, const QByteArray &chunkName, QString *error)
{
    if (!m_state) {
        *error = QStringLiteral("the Lua state could not be created within the memory limit");
        return false;
    }
    if (luaL_loadbufferx(m_state, source.constData(), size_t(source.size()), chunkName.constData(), "t") != LUA_OK) {
        *error = popMessage(m_state);
        return false;
    }
    return call(0, 0, error);
}

bool LuaSandbox::call(int nargs, int nresults, QString *error)
{
    m_instructions = 0;
    if (lua_pcall(m_state, nargs, nresults, 0) == LUA_OK)
        return true;
    *error = popMessage(m_state);
    return false;
}

QString LuaSandbox::splitLocation(const QString &message, const QByteArray &chunkName, int *line)
{
    // "policies/x.lua:3: '=' expected near 'y'": the chunk name without '@', the line, the text.
    const QString prefix = QString::fromUtf8(chunkName.startsWith('@') ? chunkName.mid(1) : chunkName) + u':';
    *line = 0;
    if (!message.startsWith(prefix))
        return message;
    const qsizetype colon = message.indexOf(u':', prefix.size());
    bool ok = false;
    const int n = colon > 0 ? message.mid(prefix.size(), colon - prefix.size()).toInt(&ok) : 0;
    if (!ok)
        return message;
    *line = n;
    return message.mid(colon + 1).trimmed();
}

} // namespace Gatehouse
