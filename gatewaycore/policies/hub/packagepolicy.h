// Installed policy packages as policies: an attachment whose name is a package pinned in
// gatehouse.yaml (`policyPackages:`) runs policies/NAME/ once its checksum matches the pin and its
// settings match the manifest's schema.
#pragma once

#include <QByteArray>
#include <QJsonValue>

#include <memory>

namespace Gatehouse {

class Filter;
struct PolicyBuildContext;
struct PolicyPackagePin;

// Builds the package's filter (Lua script or native plugin); nullptr after reporting through ctx.
std::shared_ptr<const Filter> buildPackagePolicy(const PolicyBuildContext &ctx, const PolicyPackagePin &pin);

// `value` as a Lua expression (strings escaped byte by byte; nesting beyond 32 levels is nil).
QByteArray luaLiteral(const QJsonValue &value);

} // namespace Gatehouse
