// The Lua interceptor policy ("lua", and MGW's x-wso2-*-interceptor as "interceptor"): a script
// from the project's policies/ folder with on_request(req) and/or on_response(res), run in a
// sandbox per worker thread. The script API is documented in docs/policies.md.
#pragma once

#include "luasandbox.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace Gatehouse {

class Filter;
struct PolicyBuildContext;
struct PolicyDescriptor;

PolicyDescriptor luaPolicy();
PolicyDescriptor mgwInterceptorPolicy();

// The filter of policies/`script` (relative to policies/), probed once here so that problems are
// reported at the script's file:line. `prelude` (Lua) runs before the script in every state: a
// policy package's `settings = {...}`.
std::shared_ptr<const Filter> buildLuaScript(const PolicyBuildContext &ctx, const QString &script,
                                             LuaSandbox::Limits limits, const QByteArray &prelude = {});

} // namespace Gatehouse
