// The filter of a Lua interceptor: one sandboxed state per worker thread, created lazily on that
// thread the first time the route runs there, with the script loaded once per config snapshot.
#pragma once

#include "luasandbox.h"

#include "pipeline/filter.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace Gatehouse {

class LuaFilter final : public Filter
{
public:
    struct Script
    {
        QByteArray source;
        // Run before the script: `settings = {...}` (a policy package's settings), or empty.
        QByteArray prelude;
        QByteArray chunkName;   // "@policies/x.lua"
        LuaSandbox::Limits limits;
        bool hasRequest = false;    // defines on_request
        bool hasResponse = false;   // defines on_response
    };

    LuaFilter(Script script, int workerCount);
    ~LuaFilter() override;

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("lua"); }
    // Runs on_request(req). A runtime error, a broken budget or a memory cap answers 500 (the
    // reason is logged); req:respond() answers with the script's status, headers and body.
    FilterStatus onRequest(RequestContext &ctx) const override;
    // Runs on_response(res); errors are logged and the response passes unchanged.
    void onResponseHead(RequestContext &ctx, int status) const override;

    struct Slot;   // per worker (luafilter.cpp)

private:
    Slot *slotFor(const RequestContext &ctx) const;
    bool invoke(Slot &slot, RequestContext &ctx, bool response, int status, QString *error) const;

    Script m_script;
    std::vector<std::unique_ptr<Slot>> m_slots;   // index = worker; each touched by its thread only
};

} // namespace Gatehouse
