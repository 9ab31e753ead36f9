// The Lua interceptor policy and MGW's interceptor alias: settings, script checks, the factory.
#include "luapolicy.h"

#include "luafilter.h"

#include "pipeline/gatewayservices.h"
#include "policies/registry/policyregistry.h"
#include "project/gatewayconfig.h"

#include <QDir>
#include <QFile>

#include <lua.hpp>

namespace Gatehouse {

namespace {

void checkScriptName(const QString &script, const QString &path, QStringList &problems)
{
    if (QDir::isAbsolutePath(script) || script.split(u'/').contains(QStringLiteral("..")))
        problems.append(QStringLiteral("%1: '%2' must name a file inside the project's policies/ folder")
                            .arg(path, script));
}

void check(const QJsonObject &settings, QStringList &problems)
{
    checkScriptName(settings.value(u"script").toString(), QStringLiteral("settings.script"), problems);
}

} // namespace

// Reads, compiles and runs the script once on this thread to report its problems at file:line.
std::shared_ptr<const Filter> buildLuaScript(const PolicyBuildContext &ctx, const QString &script,
                                             LuaSandbox::Limits limits, const QByteArray &prelude)
{
    const QString relative = QStringLiteral("policies/") + script;
    QFile file(QDir(ctx.config.projectDir).filePath(relative));
    if (!file.open(QIODevice::ReadOnly)) {
        ctx.error(QStringLiteral("cannot read the script %1: %2").arg(relative, file.errorString()));
        return nullptr;
    }
    LuaFilter::Script s;
    s.source = file.readAll();
    s.chunkName = '@' + relative.toUtf8();
    s.limits = limits;
    s.prelude = prelude;
    LuaSandbox probe(limits);
    QString error;
    if (!prelude.isEmpty() && !probe.run(prelude, "=settings", &error)) {
        ctx.error(QStringLiteral("the settings do not fit the script's sandbox: %1").arg(error));
        return nullptr;
    }
    if (!probe.run(s.source, s.chunkName, &error)) {
        int line = 0;
        const QString message = LuaSandbox::splitLocation(error, s.chunkName, &line);
        ctx.errorAt({relative, line, 0}, QStringLiteral("Lua: %1 (attached at %2)").arg(message, ctx.attachment.location.toString()));
        return nullptr;
    }
    lua_State *L = probe.state();
    s.hasRequest = lua_getglobal(L, "on_request") == LUA_TFUNCTION;
    s.hasResponse = lua_getglobal(L, "on_response") == LUA_TFUNCTION;
    lua_pop(L, 2);
    if (!s.hasRequest && !s.hasResponse) {
        ctx.error(QStringLiteral("%1 defines neither on_request(req) nor on_response(res)").arg(relative));
        return nullptr;
    }
    return std::make_shared<const LuaFilter>(std::move(s), ctx.services.workerCount());
}

namespace {

std::shared_ptr<const Filter> build(const PolicyBuildContext &ctx)
{
    LuaSandbox::Limits limits;
    limits.maxInstructions = qint64(ctx.settings.value(u"maxInstructions").toDouble());
    limits.maxMemoryBytes = qint64(ctx.settings.value(u"maxMemoryKiB").toDouble()) * 1024;
    return buildLuaScript(ctx, ctx.settings.value(u"script").toString(), limits);
}

void checkInterceptor(const QJsonObject &settings, QStringList &problems)
{
    const QString ref = settings.value(u"ref").toString();
    if (!ref.endsWith(QStringLiteral(".lua"))) {
        problems.append(QStringLiteral("settings.ref: '%1' is an MGW interceptor (Ballerina or Java), which "
                                       "Gatehouse cannot run: port it to a Lua script in policies/ and name it "
                                       "here (or attach the 'lua' policy)").arg(ref));
        return;
    }
    checkScriptName(ref, QStringLiteral("settings.ref"), problems);
}

std::shared_ptr<const Filter> buildInterceptor(const PolicyBuildContext &ctx)
{
    return buildLuaScript(ctx, ctx.settings.value(u"ref").toString(), LuaSandbox::Limits{});
}

} // namespace

PolicyDescriptor luaPolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("lua");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "Runs a Lua 5.4 script from the project's policies/ folder: `on_request(req)` before the upstream "
        "and `on_response(res)` on the upstream's response head. Each worker thread has its own "
        "sandboxed state; the script's globals live as long as the config.");
    d.priority = 500;
    d.requestPhase = true;
    d.responsePhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("script"), SettingSchema::text(QStringLiteral("The script, relative to policies/"))
                                       .withPattern(QStringLiteral("[A-Za-z0-9_./-]+\\.lua"), QStringLiteral("a .lua file name"))
                                       .asRequired()},
        {QStringLiteral("maxInstructions"), SettingSchema::integer(QStringLiteral("Instruction budget per call; "
                                                                                  "beyond it the call fails (500)"))
                                                .withRange(1000, 1'000'000'000)
                                                .withDefault(1'000'000)},
        {QStringLiteral("maxMemoryKiB"), SettingSchema::integer(QStringLiteral("Memory cap of each worker's state "
                                                                               "in KiB; an allocation beyond fails"))
                                             .withRange(256, 1024 * 1024)
                                             .withDefault(8192)},
    });
    d.notes = QStringLiteral(
        "The sandbox has `string` (without `dump`), `table`, `math`, `utf8` and the base library without "
        "`load`, `loadfile`, `dofile`, `require` and `collectgarbage`; no `io`, `os`, `package`, `debug` "
        "or `coroutine`; `setmetatable` refuses a metatable with `__gc` (Lua runs finalizers with hooks "
        "disabled, where the instruction budget cannot stop them). `print` writes to the gateway's debug "
        "log (category `gatehouse.lua`). A "
        "syntax error or an error while the chunk runs is reported by `gatehoused check` at the "
        "script's file:line. At run time an error, the instruction budget or the memory cap answers "
        "500 in `on_request` (the reason is logged) and leaves the response unchanged in `on_response`. "
        "`on_request` and `on_response` are taken once, when a worker loads the script: assigning "
        "another function to either later has no effect.\n\n"
        "The budget counts the work library functions do in C as well, where Lua's count hook cannot see "
        "it: `string.rep` of an empty string and `table.move` charge one instruction per element, and "
        "`string.find`, `match`, `gmatch` and `gsub` (also as methods, `s:find(...)`) are the sandbox's "
        "own, with Lua 5.4's semantics and error messages, whose matcher charges one instruction per "
        "step: the call, each pattern item tried at a place, each character a repetition or `%b` scans, "
        "each 16 bytes compared or scanned (a back-reference, a set, a plain `find`'s candidate), each "
        "`%` of a replacement string. A pattern that backtracks without end, such as "
        "`string.find(string.rep(\"a\", 3000), \".-.-.-.-b\")` (Lua's own matcher tries every way of "
        "splitting the subject among the four `.-`: its work grows with a power of the length, and a "
        "worker would be held for good), stops at the budget with the usual error at the script's line, "
        "within the milliseconds the budget stands for. Ordinary header work costs little "
        "(`path:find(\"^/zoo\")` 5, `auth:match(\"^Bearer%s+(.+)$\")` with a 40-character token 50, "
        "`gsub` of `(%w+)=([^;]*)` over a 4 KiB cookie 6,426), but a `gsub` over every byte of a 1 MiB "
        "string costs 2,097,153, over the default budget of 1,000,000: raise `maxInstructions` for a "
        "script that does that (tst_luapattern checks these charges).\n\n"
        "The object given to both functions (call with `:`):\n\n"
        "| call | in | does |\n|---|---|---|\n"
        "| `req:method()`, `req:path()`, `req:query()` | both | the request's method, path and raw query (without `?`) |\n"
        "| `req:header(name)` | both | the value after the edits so far (request in on_request, response in on_response), or nil |\n"
        "| `req:headers()` | both | a table of lower-case name → first value, as received |\n"
        "| `req:principal()` | both | `{authenticated, subject, issuer, application, method, scheme, scopes = {...}}` |\n"
        "| `req:set_header(name, value)`, `req:remove_header(name)` | both | edit the request sent upstream / the response |\n"
        "| `req:set_path(path [, query])` | on_request | the path (below the upstream URL's path) and query sent upstream |\n"
        "| `req:respond(status, body, headers)` | on_request | answer now (200–599); `headers[\"content-type\"]` sets the type |\n"
        "| `res:status()` | on_response | the upstream's status |\n"
        "| `req:request_header(name)` | both | the request header as sent upstream (after the edits so far), or nil |\n"
        "| `req:client_ip()` | both | the client's address (`127.0.0.1`, `::1`; IPv4-mapped addresses as IPv4) |\n\n"
        "```lua\n"
        "function on_request(req)\n"
        "  if req:header(\"x-debug\") then return req:respond(418, \"no\", {[\"x-why\"] = \"teapot\"}) end\n"
        "  req:set_header(\"x-caller\", req:principal().subject)\n"
        "end\n"
        "```");
    d.check = &check;
    d.build = &build;
    return d;
}

PolicyDescriptor mgwInterceptorPolicy()
{
    PolicyDescriptor d;
    d.name = QStringLiteral("interceptor");
    d.version = QStringLiteral("1.0");
    d.description = QStringLiteral(
        "What MGW's `x-wso2-request-interceptor` and `x-wso2-response-interceptor` become. A reference "
        "ending in `.lua` runs that script from policies/ as the `lua` policy does (default limits); "
        "Ballerina and Java interceptors are refused with a diagnostic.");
    d.priority = 400;
    d.requestPhase = true;
    d.responsePhase = true;
    d.settings = SettingSchema::object({
        {QStringLiteral("ref"), SettingSchema::text(QStringLiteral("The interceptor as MGW names it")).asRequired()},
    });
    d.check = &checkInterceptor;
    d.build = &buildInterceptor;
    return d;
}

} // namespace Gatehouse
