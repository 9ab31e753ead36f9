// Import of WSO2 API Microgateway 3.x throttling policies (policies.yaml) as Gatehouse tiers.
#pragma once

#include "projectsettings.h"

namespace Gatehouse {

// Reads an MGW policies.yaml:
//   resourcePolicies:     [ {10kPerMin: {count: 10000, unitTime: 1, timeUnit: min}}, ... ]
//   applicationPolicies:  [ ... ]
//   subscriptionPolicies: [ {Gold: {count: 5000, unitTime: 1, timeUnit: min, stopOnQuotaReach: true}} ]
// (a bare top-level list of policies, as older MGW docs show, is accepted too). MGW kept the three
// levels apart; Gatehouse tiers share one name space, so a name used twice is an error. `file` is
// the absolute path, `displayPath` the name used in diagnostics. Tiers carry their location.
QList<ThrottleTier> importMgwPolicies(const QString &file, const QString &displayPath,
                                      Diagnostics &diagnostics);

// The same from bytes (tests, fuzzing).
QList<ThrottleTier> importMgwPoliciesFromBytes(const QByteArray &yaml, const QString &displayPath,
                                               Diagnostics &diagnostics);

} // namespace Gatehouse
