// Builds each route's filter chain of a compiled config, in the request path's fixed order.
#pragma once

#include "base/diagnostic.h"

namespace Gatehouse {

struct GatewayConfig;
class GatewayServices;

// Fills config.chains (one per route, same index). Returns false with errors in diagnostics when
// a route cannot be served safely (e.g. a security scheme no configured issuer can validate).
bool buildFilterChains(GatewayConfig &config, GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
