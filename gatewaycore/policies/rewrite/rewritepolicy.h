// The rewrite policy: the path sent upstream from a template over the route's path parameters,
// and query parameters set, removed or dropped.
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor rewritePolicy();

} // namespace Gatehouse
