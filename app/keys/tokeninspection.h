// Decoding and verifying a pasted token with the core's JOSE code and the project's verifiers:
// what the Keys dock shows under "Inspect". The UI never parses JOSE itself.
#pragma once

#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

namespace Gatehouse {

class TokenServices;

struct TokenInspection
{
    enum class Verdict { Valid = 1, Invalid, Revoked, Unavailable, Malformed };
    Verdict verdict = Verdict::Malformed;
    QString reason;        // a sentence: why it is not valid, or who verified it
    QString issuerName;    // the trusted issuer that verified it (Valid, Revoked)
    QJsonObject header;    // decoded when well formed
    QJsonObject claims;
};

class TokenInspector
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::TokenInspector)
public:
    // `services` may be null (no project): the token is then only decoded. Accepts the token with
    // or without a "Bearer " prefix and surrounding whitespace. `now` in seconds since the epoch.
    // Verification uses worker slot 0 of the verifiers: pass services no gateway worker uses.
    static TokenInspection inspect(QByteArrayView token, const TokenServices *services, qint64 now);
};

} // namespace Gatehouse
