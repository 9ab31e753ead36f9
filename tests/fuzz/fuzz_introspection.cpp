// libFuzzer target: an introspection endpoint's answer (first byte picks the HTTP status and the
// claim mapping, the rest is the body) through judgeIntrospectionAnswer. Nothing may crash; an
// answer is only ever Authenticated when its JSON says "active": true (escapes included), and a
// failed exchange never is.
#include "policies/auth/introspectionauthenticator.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace Gatehouse;
    if (size == 0)
        return 0;
    const uint8_t control = data[0];
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    KeyManager km;
    km.name = QStringLiteral("fuzz");
    km.onError = (control & 1) ? IntrospectionFailure::Unauthorized : IntrospectionFailure::Unavailable;
    if (control & 2) {
        km.claims.scopes = QStringLiteral("scp");
        km.claims.subject = QStringLiteral("username");
        km.claims.applicationTier = QStringLiteral("tier");
        km.claims.subscriptionTier = QStringLiteral("plan");
    }
    const int status = (control & 4) ? 500 : 200;
    const IntrospectionRuntime::Verdict v =
        judgeIntrospectionAnswer(km, status, QString(), body, 1'000, 1'700'000'000);
    if (v.result == AuthResult::Authenticated) {
        const bool active = QJsonDocument::fromJson(body).object().value(QStringLiteral("active")).toBool();
        if (status != 200 || !active || !v.principal)
            std::abort();
    }
    return 0;
}
