// Policies that answer in the gateway's name: mock-response (a fixed status, headers and body, for
// stubs while an API is designed) and deny (a JSON error, for tests and switched-off operations).
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor mockResponsePolicy();
PolicyDescriptor denyPolicy();

} // namespace Gatehouse
