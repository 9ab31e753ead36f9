// The Lua interceptor policy ("lua", and MGW's x-wso2-*-interceptor as "interceptor"): a script
// from the project's policies/ folder with on_request(req) and/or on_response(res), run in a
// sandbox per worker thread. The script API is documented in docs/policies.md.
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor luaPolicy();
PolicyDescriptor mgwInterceptorPolicy();

} // namespace Gatehouse
