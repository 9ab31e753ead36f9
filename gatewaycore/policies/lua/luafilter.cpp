// The filter of a Lua interceptor: per-worker sandboxes and the req/res object scripts see.
#include "luafilter.h"

#include "pipeline/requestcontext.h"
#include "policies/headers/headerpolicies.h"

#include <lua.hpp>

#include <utility>

namespace Gatehouse {

// Lua errors unwind with longjmp: the API functions below keep no object with a destructor alive
// across a call that may raise (luaL_check*, lua_push* under the memory cap, luaL_error); owned
// bytes go through the slot's scratch buffer instead.
struct LuaFilter::Slot
{
    std::unique_ptr<LuaSandbox> sandbox;
    bool broken = false;          // the script could not be loaded on this worker: answer 500
    // on_request / on_response as the script defined them when it was loaded, and the req/res
    // table handed to them, stay on the state's stack at kObject, kRequest and kResponse: a call
    // copies two stack slots instead of reading the registry twice.
    bool hasRequest = false;
    bool hasResponse = false;
    RequestContext *ctx = nullptr;
    bool response = false;        // inside on_response
    int status = 0;               // the upstream's status (on_response)
    bool responded = false;       // req:respond() was called
    QByteArray scratch;
};

namespace {

using Slot = LuaFilter::Slot;

// Where a slot keeps its script's entry points and object on the state's stack.
constexpr int kObject = 1;
constexpr int kRequest = 2;
constexpr int kResponse = 3;

Slot &slotOf(lua_State *L)
{
    return *static_cast<Slot *>(LuaSandbox::hostOf(L));
}

void pushBytes(lua_State *L, Slot &s, QByteArray bytes)
{
    s.scratch = std::move(bytes);
    lua_pushlstring(L, s.scratch.constData(), size_t(s.scratch.size()));
}

QByteArrayView argBytes(lua_State *L, int index)
{
    size_t len = 0;
    const char *p = lua_tolstring(L, index, &len);
    if (!p)
        p = luaL_checklstring(L, index, &len);   // raises "string expected, got ..."
    return QByteArrayView(p, qsizetype(len));
}

int apiMethod(lua_State *L)
{
    const Slot &s = slotOf(L);
    lua_pushlstring(L, s.ctx->method.data(), size_t(s.ctx->method.size()));
    return 1;
}

int apiPath(lua_State *L)
{
    const Slot &s = slotOf(L);
    lua_pushlstring(L, s.ctx->path.data(), size_t(s.ctx->path.size()));
    return 1;
}

int apiQuery(lua_State *L)
{
    const Slot &s = slotOf(L);
    const QByteArrayView q = s.ctx->query.startsWith('?') ? s.ctx->query.sliced(1) : s.ctx->query;
    lua_pushlstring(L, q.data(), size_t(q.size()));
    return 1;
}

int apiStatus(lua_State *L)
{
    lua_pushinteger(L, slotOf(L).status);
    return 1;
}

int apiHeader(lua_State *L)
{
    Slot &s = slotOf(L);
    const QByteArrayView name = argBytes(L, 2);
    pushBytes(L, s, s.response ? currentResponseHeader(*s.ctx, name) : currentUpstreamHeader(*s.ctx, name));
    if (s.scratch.isNull()) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    return 1;
}

// The request header as sent upstream (after the edits so far), also in on_response.
int apiRequestHeader(lua_State *L)
{
    Slot &s = slotOf(L);
    pushBytes(L, s, currentUpstreamHeader(*s.ctx, argBytes(L, 2)));
    if (s.scratch.isNull()) {
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    return 1;
}

int apiClientIp(lua_State *L)
{
    Slot &s = slotOf(L);
    bool v4 = false;
    const quint32 ip4 = s.ctx->peer.toIPv4Address(&v4);   // IPv4-mapped IPv6 peers read as IPv4
    pushBytes(L, s, (v4 ? QHostAddress(ip4).toString() : s.ctx->peer.toString()).toUtf8());
    return 1;
}

int apiHeaders(lua_State *L)
{
    Slot &s = slotOf(L);
    const Http1FieldList *fields = s.response ? s.ctx->upstreamResponseHeaders : s.ctx->headers;
    lua_newtable(L);
    if (!fields)
        return 1;
    for (const Http1Field &f : *fields) {
        s.scratch = f.name.toByteArray().toLower();
        lua_pushlstring(L, s.scratch.constData(), size_t(s.scratch.size()));
        if (lua_rawget(L, -2) != LUA_TNIL) {   // keep the first value, as header() does
            lua_pop(L, 1);
            continue;
        }
        lua_pop(L, 1);
        lua_pushlstring(L, s.scratch.constData(), size_t(s.scratch.size()));
        lua_pushlstring(L, f.value.data(), size_t(f.value.size()));
        lua_rawset(L, -3);
    }
    return 1;
}

void setStringField(lua_State *L, Slot &s, const char *key, const QString &value)
{
    pushBytes(L, s, value.toUtf8());
    lua_setfield(L, -2, key);
}

int apiPrincipal(lua_State *L)
{
    Slot &s = slotOf(L);
    const Principal &p = s.ctx->caller();
    lua_createtable(L, 0, 7);
    lua_pushboolean(L, s.ctx->principal != nullptr);
    lua_setfield(L, -2, "authenticated");
    setStringField(L, s, "subject", p.subject);
    setStringField(L, s, "issuer", p.issuer);
    setStringField(L, s, "application", p.application);
    setStringField(L, s, "method", p.method);
    setStringField(L, s, "scheme", s.ctx->principalScheme.toString());
    lua_createtable(L, int(p.scopes.size()), 0);
    for (qsizetype i = 0; i < p.scopes.size(); ++i) {
        pushBytes(L, s, p.scopes.at(i).toUtf8());
        lua_rawseti(L, -2, lua_Integer(i + 1));
    }
    lua_setfield(L, -2, "scopes");
    return 1;
}

int apiSetHeader(lua_State *L)
{
    Slot &s = slotOf(L);
    const QByteArrayView name = argBytes(L, 2);
    const QByteArrayView value = argBytes(L, 3);
    if (!isHeaderName(name) || isManagedHeader(name) || !isHeaderValue(value))
        return luaL_error(L, "set_header: not a header a script may set, or a value with control characters");
    if (s.response)
        setResponseHeader(*s.ctx, name, value);
    else
        setUpstreamHeader(*s.ctx, name, value);
    return 0;
}

int apiRemoveHeader(lua_State *L)
{
    Slot &s = slotOf(L);
    const QByteArrayView name = argBytes(L, 2);
    if (!isHeaderName(name) || isManagedHeader(name))
        return luaL_error(L, "remove_header: not a header a script may remove");
    if (s.response)
        removeResponseHeader(*s.ctx, name);
    else
        removeUpstreamHeader(*s.ctx, name);
    return 0;
}

bool isPathText(QByteArrayView path)
{
    for (char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '#')
            return false;
    }
    return true;
}

int apiSetPath(lua_State *L)
{
    Slot &s = slotOf(L);
    if (s.response)
        return luaL_error(L, "set_path: the request has left already (on_response)");
    const QByteArrayView path = argBytes(L, 2);
    const bool withQuery = !lua_isnoneornil(L, 3);
    const QByteArrayView query = withQuery ? argBytes(L, 3) : QByteArrayView();
    if (!path.startsWith('/') || path.contains('?') || !isPathText(path) || !isPathText(query))
        return luaL_error(L, "set_path: expected a path starting with '/' (and a query) without spaces");
    RequestContext &ctx = *s.ctx;
    if (!withQuery && !ctx.upstreamPathSet)
        ctx.upstreamQuery = ctx.query.toByteArray();
    ctx.upstreamPath = path.toByteArray();
    if (withQuery)
        ctx.upstreamQuery = query.isEmpty() || query.startsWith('?') ? query.toByteArray() : '?' + query.toByteArray();
    ctx.upstreamPathSet = true;
    return 0;
}

int apiRespond(lua_State *L)
{
    Slot &s = slotOf(L);
    if (s.response)
        return luaL_error(L, "respond: the upstream has answered already (on_response)");
    const lua_Integer status = luaL_checkinteger(L, 2);
    size_t bodyLen = 0;
    const char *body = luaL_optlstring(L, 3, "", &bodyLen);
    const bool hasHeaders = !lua_isnoneornil(L, 4);
    if (hasHeaders)
        luaL_checktype(L, 4, LUA_TTABLE);
    if (status < 200 || status > 599)
        return luaL_error(L, "respond: status %d is not between 200 and 599", int(status));
    QByteArrayView contentType("text/plain; charset=utf-8");
    if (hasHeaders) {   // first pass: check everything before changing anything
        lua_pushnil(L);
        while (lua_next(L, 4) != 0) {
            if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "respond: headers must map names to text");
            size_t nl = 0, vl = 0;
            const char *n = lua_tolstring(L, -2, &nl);
            const char *v = lua_tolstring(L, -1, &vl);
            const QByteArrayView name(n, qsizetype(nl)), value(v, qsizetype(vl));
            if (httpEqualsIgnoreCase(name, "content-type"))
                contentType = value;   // the table keeps the string alive until we return
            else if (!isHeaderName(name) || isManagedHeader(name) || !isHeaderValue(value))
                return luaL_error(L, "respond: '%s' is not a header a script may set, or its value has "
                                     "control characters", n);
            lua_pop(L, 1);
        }
    }
    RequestContext &ctx = *s.ctx;
    ctx.error = GatewayError{int(status), GatewayErrorCode::BadRequest, QString(), QString(),
                             contentType.toByteArray(), QByteArray(body, qsizetype(bodyLen))};
    if (hasHeaders) {
        lua_pushnil(L);
        while (lua_next(L, 4) != 0) {
            const QByteArrayView name(lua_tostring(L, -2));
            if (!httpEqualsIgnoreCase(name, "content-type"))
                setResponseHeader(ctx, name, QByteArrayView(lua_tostring(L, -1)));
            lua_pop(L, 1);
        }
    }
    s.responded = true;
    return 0;
}

} // namespace

LuaFilter::LuaFilter(Script script, int workerCount) : m_script(std::move(script))
{
    m_slots.resize(size_t(qMax(1, workerCount)));
    for (auto &slot : m_slots)
        slot = std::make_unique<Slot>();
}

LuaFilter::~LuaFilter() = default;

LuaFilter::Slot *LuaFilter::slotFor(const RequestContext &ctx) const
{
    if (ctx.workerIndex < 0 || size_t(ctx.workerIndex) >= m_slots.size())
        return nullptr;
    Slot &slot = *m_slots[size_t(ctx.workerIndex)];
    if (slot.sandbox || slot.broken)
        return slot.broken ? nullptr : &slot;
    slot.sandbox = std::make_unique<LuaSandbox>(m_script.limits);
    QString error;
    if ((!m_script.prelude.isEmpty() && !slot.sandbox->run(m_script.prelude, "=settings", &error))
        || !slot.sandbox->run(m_script.source, m_script.chunkName, &error)) {
        qCWarning(lcLua, "%s could not be loaded on worker %d: %s", m_script.chunkName.constData() + 1,
                  ctx.workerIndex, qUtf8Printable(error));
        slot.broken = true;
        slot.sandbox.reset();
        return nullptr;
    }
    lua_State *L = slot.sandbox->state();
    static const luaL_Reg kApi[] = {
        {"method", apiMethod},         {"path", apiPath},         {"query", apiQuery},
        {"header", apiHeader},         {"headers", apiHeaders},   {"principal", apiPrincipal},
        {"set_header", apiSetHeader},  {"remove_header", apiRemoveHeader},
        {"set_path", apiSetPath},      {"respond", apiRespond},   {"status", apiStatus},
        {"request_header", apiRequestHeader},                     {"client_ip", apiClientIp},
        {nullptr, nullptr},
    };
    slot.sandbox->setHost(&slot);
    lua_settop(L, 0);
    lua_newtable(L);
    luaL_setfuncs(L, kApi, 0);
    slot.hasRequest = lua_getglobal(L, "on_request") == LUA_TFUNCTION;
    slot.hasResponse = lua_getglobal(L, "on_response") == LUA_TFUNCTION;
    Q_ASSERT(lua_gettop(L) == kResponse);
    return &slot;
}

bool LuaFilter::invoke(Slot &slot, RequestContext &ctx, bool response, int status, QString *error) const
{
    if (!(response ? slot.hasResponse : slot.hasRequest))
        return true;
    lua_State *L = slot.sandbox->state();
    lua_pushvalue(L, response ? kResponse : kRequest);
    lua_pushvalue(L, kObject);
    slot.ctx = &ctx;
    slot.response = response;
    slot.status = status;
    slot.responded = false;
    const bool ok = slot.sandbox->call(1, 0, error);
    slot.ctx = nullptr;
    if (!slot.scratch.isNull())
        slot.scratch.clear();
    return ok;
}

FilterStatus LuaFilter::onRequest(RequestContext &ctx) const
{
    if (!m_script.hasRequest)
        return FilterStatus::Continue;
    QString error;
    Slot *slot = slotFor(ctx);
    if (slot && invoke(*slot, ctx, false, 0, &error)) {
        if (!slot->responded)
            return FilterStatus::Continue;
        if (ctx.recordDecisions)
            ctx.decide(Phase::Interceptor, QStringLiteral("lua"), ctx.error.status < 400,
                       QStringLiteral("%1 answered %2").arg(QString::fromUtf8(m_script.chunkName.mid(1))).arg(ctx.error.status));
        return FilterStatus::Respond;
    }
    if (slot)
        qCWarning(lcLua, "on_request failed: %s", qUtf8Printable(error));
    ctx.respond(500, GatewayErrorCode::BadRequest, QStringLiteral("Internal error"),
                QStringLiteral("A request interceptor failed"));
    ctx.decide(Phase::Interceptor, QStringLiteral("lua"), false, error.isEmpty() ? QStringLiteral("script not loaded") : error);
    return FilterStatus::Respond;
}

void LuaFilter::onResponseHead(RequestContext &ctx, int status) const
{
    if (!m_script.hasResponse)
        return;
    QString error;
    Slot *slot = slotFor(ctx);
    if (slot && !invoke(*slot, ctx, true, status, &error))
        qCWarning(lcLua, "on_response failed (the response passes unchanged): %s", qUtf8Printable(error));
}

} // namespace Gatehouse
