// The native interceptor policy ("native"): a C++ plugin library from the project's policies/
// folder (gatehouse/interceptor.h), loaded and checked when the config is compiled.
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor nativePolicy();

} // namespace Gatehouse
