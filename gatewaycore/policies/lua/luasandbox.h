// A sandboxed Lua 5.4 state: only base (without load/dofile/loadfile/collectgarbage), string
// (without dump; its pattern functions are the sandbox's own, luapattern.h), table, math and utf8; an allocator with a byte cap and a count hook with an
// instruction budget per call. Not thread-safe: one per worker thread, never shared.
#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QString>

struct lua_State;
struct lua_Debug;

Q_DECLARE_LOGGING_CATEGORY(lcLua)

namespace Gatehouse {

class LuaSandbox
{
public:
    struct Limits
    {
        qint64 maxMemoryBytes = 8 * 1024 * 1024;   // the whole state: code, data, strings
        qint64 maxInstructions = 1'000'000;        // per call (checked every kHookEvery)
    };
    static constexpr int kHookEvery = 1000;

    explicit LuaSandbox(Limits limits);
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox &) = delete;
    LuaSandbox &operator=(const LuaSandbox &) = delete;

    bool isValid() const { return m_state != nullptr; }   // false: not even the libraries fit
    lua_State *state() const { return m_state; }
    qint64 memoryBytes() const { return m_bytes; }
    // What the last call (or the one running) was charged so far: the count hook's steps of
    // kHookEvery VM instructions plus the work of library functions (charge()).
    qint64 instructionsUsed() const { return m_instructions; }

    // What the C functions a host registers reach through hostOf(L): two loads from the state's
    // extra space instead of an upvalue read through the Lua API on every call.
    void setHost(void *host) { m_host = host; }
    static void *hostOf(lua_State *L);

    // Compiles text (never bytecode) and runs the chunk under the limits. `chunkName` appears in
    // messages: "policies/x.lua:3: ..." for "@policies/x.lua".
    bool run(const QByteArray &source, const QByteArray &chunkName, QString *error);
    // lua_pcall with a fresh instruction budget; the error message (with script:line) on failure.
    bool call(int nargs, int nresults, QString *error);

    // Splits "policies/x.lua:3: message" (as Lua reports errors of `chunkName`) into the line
    // (0 when the message names no line of that chunk) and the message.
    static QString splitLocation(const QString &message, const QByteArray &chunkName, int *line);

    // Work a library function does in C, out of the count hook's sight, charged to the budget of
    // L's sandbox: raises the budget's error (a Lua error, longjmp) once it is exceeded.
    static void charge(lua_State *L, qint64 steps);

private:
    static void *allocate(void *ud, void *ptr, size_t oldSize, size_t newSize);
    static void countHook(lua_State *L, lua_Debug *ar);
    static int print(lua_State *L);
    static int toString(lua_State *L);
    static int stringRep(lua_State *L);
    static int tableMove(lua_State *L);
    static int setMetatable(lua_State *L);
    void openLibraries();

    Limits m_limits;
    qint64 m_bytes = 0;
    qint64 m_instructions = 0;
    void *m_host = nullptr;
    qint64 m_lastInteger = 0;        // tostring's last integer, when m_lastIntegerSet
    bool m_lastIntegerSet = false;
    lua_State *m_state = nullptr;
};

} // namespace Gatehouse
