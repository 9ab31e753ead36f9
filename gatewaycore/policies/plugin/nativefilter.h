// The filter of a native interceptor: one plugin instance per worker thread, each called only by
// its thread; every call into the plugin is guarded so that an exception stops at the boundary.
#pragma once

#include "nativeplugin.h"

#include "pipeline/filter.h"

#include <memory>
#include <vector>

namespace gatehouse {
class Interceptor;
}

namespace Gatehouse {

class NativeFilter final : public Filter
{
public:
    // `instances`: one per worker (index = worker), created by the plugin for this attachment.
    NativeFilter(std::shared_ptr<const NativePlugin> plugin,
                 std::vector<std::unique_ptr<gatehouse::Interceptor>> instances);
    ~NativeFilter() override;

    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("native"); }
    // onRequest; respond() answers the plugin's status, a throw answers 500 (logged).
    FilterStatus onRequest(RequestContext &ctx) const override;
    // onResponse; a throw is logged and the response passes unchanged.
    void onResponseHead(RequestContext &ctx, int status) const override;
    qint64 requestBodyLimit() const override;
    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override;

private:
    gatehouse::Interceptor *instanceFor(const RequestContext &ctx) const;

    std::shared_ptr<const NativePlugin> m_plugin;
    std::vector<std::unique_ptr<gatehouse::Interceptor>> m_instances;
};

} // namespace Gatehouse
