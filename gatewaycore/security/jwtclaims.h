// JWT claims (RFC 7519): the registered-claim checks (exp, nbf, iat, aud) and the mapping of a
// verified token's claims to who is calling.
#pragma once

#include "principal.h"

#include "project/projectsettings.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Gatehouse {

// What a verified token says about its caller: a Principal (issuer is the gatehouse.yaml issuer
// name, "gatehouse" for the gateway's own keys; method is the verifier's kind, "jwt" or "apikey")
// plus what only API keys carry. Immutable; shared between a worker's token cache and the requests
// that hit it, which hold it as their Principal.
struct VerifiedToken : Principal
{
    QStringList allowedApis;   // API keys: "allowedAPIs" claim; empty = every API
    QString keyType;           // API keys: "keytype" (PRODUCTION, SANDBOX)
};

struct ClaimRules
{
    QString issuerName;
    QStringList audiences;         // any match; empty = not checked
    qint64 clockSkewSeconds = 60;
    bool requireExp = true;
    ClaimMapping mapping;
};

// "42 s", "3 min", "5 h", "2 days": for reasons shown to callers and in the explain view.
QString humanDuration(qint64 seconds);

// Checks exp/nbf/iat/aud of `claims` at `now` (seconds since the epoch) and maps them. Empty when
// the token is acceptable ("token expired 3 min ago" otherwise); `out` is filled then.
QString checkClaims(const QJsonObject &claims, const ClaimRules &rules, qint64 now, VerifiedToken &out);

} // namespace Gatehouse
